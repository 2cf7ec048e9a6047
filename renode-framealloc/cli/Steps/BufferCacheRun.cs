using System.Collections.Generic;

namespace RenodeFrameAlloc.Cli.Steps
{
    // One side of the buffer-cache case: the allocator's cap (NoCacheCap = none), what the copy
    // streamed, what the program lost and what the cache held.
    public sealed record BufferCacheRun
    {
        public string Label { get; init; }
        public int CapPercent { get; init; }
        public long CapPages { get; init; }
        public long TotalPages { get; init; }
        public long WorkingSetPages { get; init; }
        public long StreamedPages { get; init; }
        // Program pages the allocator evicted (its own counter).
        public long ProgramPagesEvicted { get; init; }
        // Times the program touched a page of its working set and found it gone (a page fault).
        public long ProgramFaults { get; init; }
        public long CachePagesEvicted { get; init; }
        public long PeakCachePages { get; init; }
        public long CachePagesAtEnd { get; init; }
        public long PagerPasses { get; init; }
        public long PagerReclaimed { get; init; }
        public IReadOnlyList<OccupancySample> Samples { get; init; }
    }
}
