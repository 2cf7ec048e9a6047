namespace RenodeFrameAlloc.Frames
{
    // A point-in-time copy of one list's counters. Page counts are in the range's own pages.
    public sealed class RangeStatistics
    {
        public string Name { get; init; }
        public ulong Base { get; init; }
        public ulong Size { get; init; }
        public ulong PageSize { get; init; }
        public long Pages { get; init; }
        public long Free { get; init; }
        public long Wired { get; init; }
        public long Active { get; init; }
        public long Inactive { get; init; }
        // Buffer-cache pages (active + inactive) of this list; the rest of Active/Inactive are program pages.
        public long CachePages { get; init; }
        public long Allocations { get; init; }
        public long Failures { get; init; }
        public long Reclaims { get; init; }
        public long FreeTarget { get; init; }
        public long InactiveTarget { get; init; }
    }
}
