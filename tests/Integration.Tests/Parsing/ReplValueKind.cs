namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    public enum ReplValueKind
    {
        String,
        Number,
        Boolean,
        // A bare identifier: another peripheral's name (or a keyword such as `empty`).
        Reference,
        // Type.Member, e.g. PrivilegedArchitecture.Priv1_10.
        EnumMember
    }
}
