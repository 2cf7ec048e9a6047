namespace RenodeFrameAlloc.Cli.Drivers
{
    // One range's statistics as the frame-pool device's STATS registers show them. The name is
    // not in the registers: the driver takes it from the platform description.
    public sealed record RangeCounters(string Name, ulong Base, ulong Size, uint PageSize, uint Pages, uint Free, uint Wired,
        uint Active, uint Inactive, uint Cache, uint Allocations, uint Failures, uint Reclaims);
}
