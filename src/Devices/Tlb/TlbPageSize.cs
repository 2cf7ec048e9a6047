namespace RenodeFrameAlloc.Devices.Tlb
{
    // Page sizes a software-managed TLB entry can map. The value is log2 of the size in bytes,
    // so (1UL << (int)size) is the page size. The IOMMU TLB maps 4 KiB and 2 MiB pages; the hart
    // TLB (HartSoftwareTlbModel) all three.
    public enum TlbPageSize
    {
        Size4KiB = 12,
        Size2MiB = 21,
        Size1GiB = 30
    }
}
