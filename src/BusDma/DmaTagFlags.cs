using System;

namespace RenodeFrameAlloc.BusDma
{
    [Flags]
    public enum DmaTagFlags
    {
        None = 0,
        // Grow the tag's bounce pool at creation so that one mapping of MaxSize bytes can bounce
        // without touching the allocator at load time (FreeBSD's BUS_DMA_ALLOCNOW).
        AllocateNow = 1,
        // The device snoops CPU caches (BUS_DMA_COHERENT). DMA memory allocated with such a tag is
        // not cached by the checker's non-coherent CPU model; syncs are still required and checked.
        Coherent = 2
    }
}
