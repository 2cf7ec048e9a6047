namespace RenodeFrameAlloc.Frames
{
    // Every failure of Allocate/Free has its own value; the numeric values are part of the
    // frame-pool device's register interface, so never renumber them.
    public enum AllocationError
    {
        None = 0,
        // Size is zero. (A size no range can hold is InsufficientMemory or InvalidWindow.)
        InvalidSize = 1,
        // Alignment is not a power of two (0 means one page).
        InvalidAlignment = 2,
        // Boundary is not a power of two, is smaller than a page, or is smaller than a contiguous
        // request. (A boundary smaller than the alignment is valid: both are honoured.)
        InvalidBoundary = 3,
        // Low >= High, or the window is narrower than the request.
        InvalidWindow = 4,
        // MaxSegments < 1 (or an empty destination), MaxSegmentSize below a page, or a request
        // that MaxSegments segments of MaxSegmentSize can never hold. MaxSegmentSize is used
        // rounded down to whole pages.
        InvalidSegmentLimits = 5,
        // No bus range intersects [Low, High).
        NoRangeInWindow = 6,
        // Fewer free frames in the window (in any one eligible list) than requested.
        InsufficientMemory = 7,
        // Enough free frames, but not within MaxSegments segments under the constraints.
        Fragmented = 8,
        // PreferredRange names no range.
        UnknownRange = 9,
        // Free: the segments were never handed out (or were already returned).
        NotAllocated = 10,
        // Free: the segments are part of an allocation, not all of it.
        PartialFree = 11,
        // Page operations: the address is not a pageable page.
        NotAPage = 12
    }
}
