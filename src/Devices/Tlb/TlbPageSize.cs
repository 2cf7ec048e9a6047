namespace RenodeFrameAlloc.Devices.Tlb
{
    // Page sizes a software-managed TLB entry can map. The value is log2 of the size in bytes,
    // so (1UL << (int)size) is the page size.
    public enum TlbPageSize
    {
        Size4KiB = 12,
        Size2MiB = 21
    }
}
