using System;

namespace RenodeFrameAlloc.Devices.Dma
{
    // Bits of a channel's STATUS register.
    [Flags]
    public enum DmaChannelStatus : uint
    {
        None = 0,
        Busy = 1 << 0,
        Done = 1 << 1,
        Error = 1 << 2,
        WaitingOnTlb = 1 << 3,
        DescriptorInterrupt = 1 << 4,
        InterruptAsserted = 1 << 5
    }
}
