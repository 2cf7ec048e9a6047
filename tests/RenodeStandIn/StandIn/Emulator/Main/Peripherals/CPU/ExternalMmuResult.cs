namespace Antmicro.Renode.Peripherals.CPU
{
    // Declared in Renode's ICPUWithExternalMmu.cs.
    public enum ExternalMmuResult
    {
        NoFault = 0,
        Fault = 1,
        ExternalAbort = 2,
    }
}
