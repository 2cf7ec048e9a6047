using System.Collections.Generic;
using System.Linq;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // One range's statistics as the frame-pool device's STATS registers show them. The name is
    // not in the registers: the driver takes it from the platform description.
    public sealed record RangeCounters(string Name, ulong Base, ulong Size, uint PageSize, uint Pages, uint Free, uint Wired,
        uint Active, uint Inactive, uint Cache, uint Allocations, uint Failures, uint Reclaims)
    {
        // Whether two readings of all ranges show the same FREE and WIRED in every range.
        public static bool SameOccupancy(IReadOnlyList<RangeCounters> a, IReadOnlyList<RangeCounters> b)
        {
            return a.Count == b.Count && a.Zip(b).All(p => p.First.Free == p.Second.Free && p.First.Wired == p.Second.Wired);
        }
    }
}
