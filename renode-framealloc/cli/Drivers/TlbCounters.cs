namespace RenodeFrameAlloc.Cli.Drivers
{
    // The TLB's counter registers (HITS, MISSES, REFILLS, TSB_REFILLS, FAULTS) as the driver read them.
    public sealed record TlbCounters(uint Hits, uint Misses, uint Refills, uint TsbRefills, uint Faults);
}
