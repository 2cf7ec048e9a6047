namespace Antmicro.Renode.Peripherals.CPU
{
    // Declared in Renode's ICPUWithExternalMmu.cs.
    public enum ExternalMmuPosition
    {
        None = 0,
        Replace = 1,
        BeforeInternal = 2,
        AfterInternal = 3,
    }
}
