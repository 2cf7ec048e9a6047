namespace RenodeFrameAlloc.BusDma
{
    // How a map will be used, given at load time (bus_dma's BUS_DMA_READ / BUS_DMA_WRITE load
    // hints, Linux's dma_data_direction). Only the checker uses it: a sync or a device access
    // against the declared direction is reported.
    public enum DmaDirection
    {
        Bidirectional = 0,
        // Memory to device (BUS_DMA_WRITE, DMA_TO_DEVICE): the device only reads the buffer.
        ToDevice = 1,
        // Device to memory (BUS_DMA_READ, DMA_FROM_DEVICE): the device only writes the buffer.
        FromDevice = 2
    }
}
