namespace Antmicro.Renode.Peripherals.CPU
{
    // Renode's BaseCPU: here only as a base of TranslationCPU.
    public abstract class BaseCPU : CPUCore
    {
    }
}
