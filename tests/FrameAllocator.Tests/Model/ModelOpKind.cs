namespace RenodeFrameAlloc.Tests.Model
{
    public enum ModelOpKind
    {
        Allocate,
        Free,
        AllocatePage,
        Reference,
        ReleasePage,
        RunPager,
        SetPagerTargets
    }
}
