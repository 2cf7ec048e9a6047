namespace RenodeFrameAlloc.Frames
{
    // Every failure of Allocate/Free has its own value; the numeric values are part of the
    // frame-pool device's register interface, so never renumber them.
    public enum AllocationError
    {
        None = 0,
        // Size is zero or does not fit the address space.
        InvalidSize = 1,
        // Alignment is not a power of two (0 means one page).
        InvalidAlignment = 2,
        // Boundary is not a power of two, or is smaller than a contiguous request, or than the alignment.
        InvalidBoundary = 3,
        // Low >= High, or the window is narrower than the request.
        InvalidWindow = 4,
        // MaxSegments < 1, or MaxSegmentSize is not a multiple of the page size.
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
