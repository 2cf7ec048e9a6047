namespace RenodeFrameAlloc.BusDma
{
    // Every failure of the bus_dma layer has its own value, so a driver (or a device that exposes
    // the layer through registers) can tell them apart; never renumber them. A failed operation
    // changes nothing: no map is left half loaded, no frame or bounce page is left allocated.
    public enum DmaError
    {
        None = 0,
        // A null, destroyed-elsewhere or foreign (other layer's) object was passed.
        InvalidArgument = 1,
        // Tag limits are inconsistent: low >= high, alignment or boundary not a power of two,
        // boundary smaller than the alignment, max segment size not a multiple of the alignment,
        // fewer than one segment.
        InvalidTag = 2,
        // A derived tag (or a map) asks for more than its parent allows: a wider window, a looser
        // alignment, a larger boundary, longer or more segments, a larger max size.
        TagWidened = 3,
        // Map limits are inconsistent (zero size, boundary or max segment size malformed).
        InvalidMap = 4,
        // The map was destroyed.
        MapDestroyed = 5,
        // Load on a map that is already loaded (unload first).
        AlreadyLoaded = 6,
        // Unload or sync on a map that is not loaded.
        NotLoaded = 7,
        // Load: empty buffer, a piece that wraps around the address space, or a piece that is not memory.
        InvalidBuffer = 8,
        // Load: the buffer is longer than the map's max size (bus_dma's EINVAL).
        BufferTooLarge = 9,
        // Load: the buffer needs more segments than the map allows (bus_dma's EFBIG).
        TooManySegments = 10,
        // Load or tag creation: not enough bounce pages within the pool's limit, or the allocator
        // has no free frames in the window (bus_dma's ENOMEM).
        NoBounceMemory = 11,
        // Raw load: a segment lies outside the tag's window or breaks its alignment (raw loads never bounce).
        UnreachableSegment = 12,
        // Sync: no operation, or bits that are not one of the four operations.
        InvalidSyncOperation = 13,
        // Sync: PRE and POST operations in one call.
        MixedSync = 14,
        // Sync: offset + length beyond the loaded size.
        SyncOutOfRange = 15,
        // Destroy on a loaded map (unload first).
        MapStillLoaded = 16,
        // AllocateDmaMemory: the frame allocator refused; the result names its AllocationError.
        AllocationFailed = 17,
        // FreeDmaMemory on memory a loaded map still covers.
        MemoryStillLoaded = 18,
        // FreeDmaMemory on memory that was already freed.
        NotAllocated = 19,
        // Sync: a bounce copy touched an address that is not memory (the allocator's ranges and the
        // memory map disagree: a configuration error of the machine, not of the driver).
        BounceCopyFailed = 20
    }
}
