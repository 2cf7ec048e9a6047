namespace RenodeFrameAlloc.Frames
{
    // Which eligible list serves a request whose window covers several ranges.
    public enum ListPolicy
    {
        // Default. Highest (least constrained) range first, falling back to lower ones, as Linux
        // zone fallback does: memory that only constrained devices can reach is spent last, so a
        // 24-bit engine still finds frames after a large unconstrained workload.
        LeastConstrainedFirst = 0,
        // Rotate the starting list on every request, spreading load evenly over all ranges
        // (the original proposal). It drains a small low range at the same pace as a huge one.
        RoundRobin = 1
    }
}
