using Antmicro.Renode.Core;

namespace Antmicro.Renode.Peripherals.CPU
{
    // Renode's CPUCore: here only as a base of TranslationCPU.
    public abstract class CPUCore : IdentifiableObject
    {
    }
}
