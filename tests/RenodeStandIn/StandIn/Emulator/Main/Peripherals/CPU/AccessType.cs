namespace Antmicro.Renode.Peripherals.CPU
{
    // Declared in Renode's ICPUWithExternalMmu.cs.
    public enum AccessType
    {
        Read = 0,
        Write = 1,
        Execute = 2,
    }
}
