namespace Antmicro.Renode.Core
{
    // Renode's IdentifiableObject: here only as the root of TranslationCPU's bases.
    public class IdentifiableObject
    {
    }
}
