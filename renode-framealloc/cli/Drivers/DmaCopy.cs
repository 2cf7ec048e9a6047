namespace RenodeFrameAlloc.Cli.Drivers
{
    // One descriptor's worth of work: Length bytes from Source to Destination (bus addresses, or
    // device-virtual ones when the chain goes through the TLB).
    public sealed record DmaCopy(ulong Source, ulong Destination, uint Length);
}
