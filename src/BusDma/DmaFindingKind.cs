namespace RenodeFrameAlloc.BusDma
{
    // What the checker found; the numbers are stable (logs and tests name them).
    public enum DmaFindingKind
    {
        // A device accessed memory that no loaded map covers.
        DeviceAccessUnmapped = 1,
        // A device accessed a loaded map in a direction its syncs did not prepare: a read without
        // PREWRITE (or after POSTWRITE), a write without PREREAD (or after POSTREAD), or a write
        // into a map loaded ToDevice.
        DeviceAccessUnprepared = 2,
        // A device read bytes the CPU wrote after the last PREWRITE covering them.
        DeviceReadStale = 3,
        // The CPU read bytes a device wrote, with no POSTREAD since (also after the map was unloaded).
        CpuReadStale = 4,
        // A sync on a map that is not loaded, or beyond its loaded size.
        SyncOutsideMapping = 5,
        // A sync against the direction the map was loaded for (READ syncs on a ToDevice map, WRITE syncs on a FromDevice map).
        SyncWrongDirection = 6,
        UnloadNotLoaded = 7,
        DestroyLoaded = 8,
        // DMA memory freed while a loaded map still covers it.
        FreeLoaded = 9,
        // DMA memory freed twice.
        FreeNotAllocated = 10,
        // At reset: a map still loaded.
        MapLeaked = 11,
        // At reset: DMA memory still allocated.
        DmaMemoryLeaked = 12,
        // A segment (as loaded, as programmed into a device, or as one device access) longer than the map's max segment size.
        SegmentTooLong = 13,
        // A segment (as loaded, as programmed into a device, or as one device access) that crosses the map's boundary.
        SegmentCrossesBoundary = 14,
        // A device accessed a frame the frame pool holds as free (DMA after free, or into memory
        // nobody borrowed).
        DeviceAccessFreeFrame = 15,
        // A device accessed an address outside what it can reach (its declared reach window).
        DeviceAccessUnreachable = 16,
        // A device accessed (or was refused access to) an address that is not memory.
        DeviceAccessOutsideMemory = 17,
        // The CPU wrote bytes of a map a device owns for writing (PREREAD, no POSTREAD since): the
        // device's data and the CPU's collide (and a non-coherent cache may write the CPU's back over it).
        CpuWriteDeviceOwned = 18,
        // Frames the guest's bus_dma library borrowed from the frame pool for bounce pages and
        // still holds when the guest says it is done (or at a machine reset): its bounce zones
        // were never given back (busdma_machine_fini / busdma_machine_trim).
        BounceFramesLeaked = 19
    }
}
