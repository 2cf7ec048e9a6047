using System;

namespace RenodeFrameAlloc.BusDma
{
    // The four bus_dma sync operations. "Read" and "write" are from the CPU's side, as in
    // bus_dma(9): a READ transfer moves data from the device into memory, a WRITE transfer from
    // memory to the device. PRE operations may be combined with each other, and POST operations
    // with each other, but PRE and POST never in one call.
    [Flags]
    public enum DmaSyncOperation
    {
        None = 0,
        // Before the device writes memory: the CPU gives the buffer to the device.
        PreRead = 1,
        // After the device wrote memory: the CPU takes the buffer back and may read what the device wrote.
        PostRead = 2,
        // Before the device reads memory: what the CPU wrote becomes visible to the device.
        PreWrite = 4,
        // After the device read memory: the CPU may reuse the buffer.
        PostWrite = 8
    }
}
