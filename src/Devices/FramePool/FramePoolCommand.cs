namespace RenodeFrameAlloc.Devices.FramePool
{
    // Values written to the frame-pool device's COMMAND register.
    public enum FramePoolCommand : uint
    {
        None = 0,
        // Borrow frames: the request registers say what, the result area receives the segments.
        Allocate = 1,
        // Return frames: SEGMENT_COUNT entries of the result area are given back.
        Free = 2,
        // Clear STATUS and ERROR.
        ClearStatus = 3
    }
}
