namespace RenodeFrameAlloc.Tlb.Bench
{
    public enum TlbSetup
    {
        // Physical addresses, no translation.
        None,
        // Both sides translated with 4 KiB pages, every page loaded (all hits); past 8 MiB per
        // side the TLB cannot hold both buffers and the TSB assist refills the misses.
        SmallPages,
        // Both sides translated with 2 MiB pages, all hits.
        LargePages
    }
}
