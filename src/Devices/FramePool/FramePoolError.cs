namespace RenodeFrameAlloc.Devices.FramePool
{
    // The ERROR register: 1..31 are the allocator's AllocationError values unchanged; the
    // device's own errors start at 32.
    public enum FramePoolError : uint
    {
        None = 0,
        // The result area (RESULT_ADDRESS, capacity or SEGMENT_COUNT entries) is not all RAM.
        ResultAreaNotInMemory = 32,
        // RESULT_CAPACITY is 0, or SEGMENT_COUNT is 0 or more than RESULT_CAPACITY for a Free.
        BadSegmentCount = 33,
        // COMMAND held a value that is no FramePoolCommand.
        UnknownCommand = 34,
        // STATS_SELECT named no range.
        UnknownRangeIndex = 35,
        // PREFERRED_RANGE named no range.
        UnknownPreferredRange = 36
    }
}
