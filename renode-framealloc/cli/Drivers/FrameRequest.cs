namespace RenodeFrameAlloc.Cli.Drivers
{
    // What a driver asks the frame-pool device for, register for register (docs/frame-pool.md):
    // Size bytes in [Low, High), first segment aligned to Alignment, no segment crossing Boundary,
    // at most MaxSegments segments of at most MaxSegmentSize bytes (0 = no limit), trying the
    // 1-based PreferredRange first (0 = policy order).
    public sealed record FrameRequest(ulong Size, ulong Low, ulong High, ulong Alignment = 0, ulong Boundary = 0,
        uint MaxSegments = 1, ulong MaxSegmentSize = 0, uint PreferredRange = 0);
}
