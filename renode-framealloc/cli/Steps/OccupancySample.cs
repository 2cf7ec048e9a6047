using System.Collections.Generic;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Every range's occupancy after StreamedPages pages of the copy went through the cache.
    public sealed record OccupancySample(long StreamedPages, IReadOnlyList<RangeOccupancy> Ranges);
}
