namespace RenodeFrameAlloc.Tlb.Bench
{
    public enum TlbSetup
    {
        // Physical addresses, no translation.
        None,
        // Both sides translated with 4 KiB pages, every page loaded in a TLB just big enough (all
        // hits); past 8 MiB a side no TLB holds both buffers: a 64-entry TLB whose TSB assist
        // refills every page.
        SmallPages,
        // Both sides translated with 2 MiB pages, all hits.
        LargePages
    }
}
