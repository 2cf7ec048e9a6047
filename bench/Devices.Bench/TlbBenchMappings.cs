using System;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Bench
{
    // Builds the SoftwareManagedTlbModel for a DmaBenchRig whose descriptor goes through the TLB. Mappings are
    // identities (device-virtual page = physical page), so DmaBenchRig.Verify still compares the
    // physical source and destination; the translation work per page is the same as for any map.
    public static class TlbBenchMappings
    {
        // 4 KiB pages for both buffers. Up to 8 MiB a side every page is loaded beforehand in a TLB
        // just big enough (all hits). Past that no TLB holds both buffers: a 64-entry TLB whose TSB
        // (in the rig's RAM) refills every page, without interrupts.
        public static SoftwareManagedTlbModel SmallPages(DmaBenchRig rig)
        {
            var pages = (rig.Size + PageSize - 1) / PageSize;
            var fits = 2 * pages <= SoftwareManagedTlbModel.MaxEntryCount;
            var tlb = new SoftwareManagedTlbModel(fits ? Math.Max(64, 2 * pages) : 64, 0, rig.Ram);
            var tsbEntry = new byte[TsbEntryFormat.EntryBytes];
            for(var page = 0; page < pages; page++)
            {
                var offset = (ulong)page * PageSize;
                var source = new TlbEntry(DmaBenchRig.SourceAddress + offset, DmaBenchRig.SourceAddress + offset, Initiator, true, false);
                var destination = new TlbEntry(DmaBenchRig.DestinationAddress + offset, DmaBenchRig.DestinationAddress + offset, Initiator, false, true);
                if(fits)
                {
                    Require(tlb.WriteIndexed(2 * page, source));
                    Require(tlb.WriteIndexed(2 * page + 1, destination));
                    continue;
                }
                foreach(var entry in new[] { source, destination })
                {
                    TsbEntryFormat.Encode(entry, tsbEntry);
                    rig.Ram.Write(TsbBase + TsbEntryFormat.SlotOf(entry.VirtualPage, TlbPageSize.Size4KiB, TsbLog2Entries) * TsbEntryFormat.EntryBytes, tsbEntry);
                }
            }
            if(!fits)
            {
                Require(tlb.ConfigureTsb(TsbBase, TsbLog2Entries, true));
            }
            return tlb;
        }

        // 2 MiB pages over all of the rig's RAM, readable and writable: every access hits.
        public static SoftwareManagedTlbModel LargePages(DmaBenchRig rig)
        {
            var tlb = new SoftwareManagedTlbModel(64);
            for(var address = 0UL; address < DmaBenchRig.RamSize; address += LargePage)
            {
                Require(tlb.WriteRandom(new TlbEntry(address, address, Initiator, true, true, TlbPageSize.Size2MiB)) >= 0);
            }
            return tlb;
        }

        // DmaBenchRig's engine presents initiator id 0.
        public const int Initiator = 0;

        private static void Require(bool condition)
        {
            if(!condition)
            {
                throw new InvalidOperationException("a TLB setup step was refused");
            }
        }

        private const int PageSize = 4096;
        private const ulong LargePage = 2UL << 20;
        // Above both buffers (they end at 49 MiB); source and destination pages fall in distinct slots.
        private const ulong TsbBase = 52UL << 20;
        private const int TsbLog2Entries = 14;
    }
}
