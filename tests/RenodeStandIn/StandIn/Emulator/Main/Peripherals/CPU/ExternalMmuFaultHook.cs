namespace Antmicro.Renode.Peripherals.CPU
{
    // Declared in Renode's ICPUWithExternalMmu.cs. windowId is null when no window covers the address.
    public delegate ExternalMmuResult ExternalMmuFaultHook(ulong address, AccessType accessType, ulong? windowId, bool firstTry);
}
