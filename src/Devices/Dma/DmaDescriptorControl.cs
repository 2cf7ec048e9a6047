using System;

namespace RenodeFrameAlloc.Devices.Dma
{
    // The CONTROL word of an in-memory descriptor. Bits 4..31 are reserved: written as 0, ignored.
    [Flags]
    public enum DmaDescriptorControl : uint
    {
        None = 0,
        EndOfChain = 1 << 0,
        InterruptOnCompletion = 1 << 1,
        TranslateSource = 1 << 2,
        TranslateDestination = 1 << 3
    }
}
