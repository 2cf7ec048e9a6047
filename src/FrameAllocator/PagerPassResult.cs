namespace RenodeFrameAlloc.Frames
{
    // What one pager pass over all lists did.
    public readonly struct PagerPassResult
    {
        public PagerPassResult(long scanned, long deactivated, long reactivated, long reclaimed)
        {
            Scanned = scanned;
            Deactivated = deactivated;
            Reactivated = reactivated;
            Reclaimed = reclaimed;
        }

        public long Scanned { get; }
        // Active pages found unreferenced and moved to inactive.
        public long Deactivated { get; }
        // Inactive pages found referenced and given a second chance on active.
        public long Reactivated { get; }
        // Inactive pages evicted to free.
        public long Reclaimed { get; }

        public override string ToString()
        {
            return $"scanned {Scanned}, deactivated {Deactivated}, reactivated {Reactivated}, reclaimed {Reclaimed}";
        }
    }
}
