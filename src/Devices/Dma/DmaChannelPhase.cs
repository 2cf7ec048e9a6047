namespace RenodeFrameAlloc.Devices.Dma
{
    // Where a channel is in its chain. Fetching and Copying last only inside one engine call unless
    // a copy waits for its bandwidth time (WaitingForTimer) or for a TLB refill (WaitingForTranslation).
    public enum DmaChannelPhase
    {
        Idle = 0,
        Fetching = 1,
        WaitingForTimer = 2,
        Copying = 3,
        WaitingForTranslation = 4
    }
}
