namespace RenodeFrameAlloc.Bench.Baselines
{
    // The buddy allocator's per-frame record, as FreeBSD's vm_page carries for vm_phys: the links of
    // the free queue the frame heads (if it does), the order of the free block it heads, and the
    // range (vm_phys segment) it belongs to.
    public struct BuddyFrame
    {
        public int Next;
        public int Previous;
        // Order of the free block this frame heads; BuddyAllocator.NotAHead when it heads none.
        public sbyte Order;
        public byte Range;
    }
}
