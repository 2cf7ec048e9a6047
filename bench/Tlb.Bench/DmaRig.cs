using System;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Memory;

namespace RenodeFrameAlloc.Tlb.Bench
{
    // One scatter-gather DMA channel over 64 MiB of RAM, optionally behind a SoftwareTlb, copying
    // Size bytes from the source area to the destination area with one descriptor. With 4 KiB
    // pages, consecutive device-virtual pages map to frames in a scrambled order, as a real
    // buffer's would.
    public sealed class DmaRig : IDmaEngineHost
    {
        public DmaRig(int size, TlbSetup setup)
        {
            Size = size;
            this.setup = setup;
            Ram = new PhysicalRam(new[] { new BusRange("ram", RamBase, RamSize) });
            // Touch all of RAM once so that its lazy allocation is not measured.
            var zeros = new byte[1 << 20];
            for(var offset = 0UL; offset < RamSize; offset += (ulong)zeros.Length)
            {
                Ram.Write(RamBase + offset, zeros);
            }
            Source = new byte[size];
            new Random(size).NextBytes(Source);
            for(var page = 0; page < PageCount; page++)
            {
                var length = Math.Min(PageSize, size - page * PageSize);
                Ram.Write(SourceFrame(page), Source.AsSpan(page * PageSize, length));
            }

            var control = DmaDescriptorControl.EndOfChain;
            var source = SourceBase;
            var destination = DestinationBase;
            if(setup != TlbSetup.None)
            {
                Tlb = setup == TlbSetup.LargePages ? BuildLargePageTlb() : BuildSmallPageTlb();
                control |= DmaDescriptorControl.TranslateSource | DmaDescriptorControl.TranslateDestination;
                source = SourceVirtual;
                destination = DestinationVirtual;
            }
            Engine = new ScatterGatherEngine(Ram, this, 1, DmaAddressWindow.FromBits(40), 0, 16, Tlb, Initiator);
            Ram.Write(DescriptorAddress, new DmaDescriptor(source, destination, (uint)size, control, 0).ToBytes());
            Engine.WriteRegister(ChannelBase + DescriptorPointerLow, (uint)DescriptorAddress);
            Engine.WriteRegister(ChannelBase + DescriptorPointerHigh, (uint)(DescriptorAddress >> 32));
        }

        // Runs the descriptor once, to completion (bandwidth 0: within the register write).
        public void Run()
        {
            Engine.WriteRegister(ChannelBase + Control, ControlStart);
        }

        // Throws unless the last run finished cleanly and the destination holds the source bytes.
        public void Check()
        {
            var status = Engine.ReadRegister(ChannelBase + Status);
            if((status & StatusDone) == 0 || Errors > 0 || (Tlb != null && Tlb.HasLatchedFault))
            {
                throw new InvalidOperationException($"DMA did not complete: status 0x{status:X}, {Errors} errors, last: {LastError}");
            }
            var copy = new byte[Size];
            for(var page = 0; page < PageCount; page++)
            {
                var length = Math.Min(PageSize, Size - page * PageSize);
                Ram.Read(DestinationFrame(page), length).CopyTo(copy, page * PageSize);
            }
            if(!copy.AsSpan().SequenceEqual(Source))
            {
                throw new InvalidOperationException("DMA copied the wrong bytes");
            }
        }

        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            throw new InvalidOperationException("an instant engine never waits");
        }

        public void InterruptChanged(int channel, bool asserted)
        {
        }

        public void LogGuestError(string message)
        {
            Errors++;
            LastError = message;
        }

        public void LogInternalError(string message)
        {
            Errors++;
            LastError = message;
        }

        public int Size { get; }

        public PhysicalRam Ram { get; }

        public SoftwareTlb Tlb { get; }

        public ScatterGatherEngine Engine { get; }

        public byte[] Source { get; }

        public int Errors { get; private set; }

        public string LastError { get; private set; }

        public const ulong RamBase = 0x8000_0000;
        public const ulong RamSize = 64UL << 20;
        public const ulong SourceBase = RamBase;
        public const ulong DestinationBase = RamBase + (32UL << 20);

        private SoftwareTlb BuildLargePageTlb()
        {
            var tlb = new SoftwareTlb(64);
            var pages = (Size + LargePage - 1) / LargePage;
            for(var i = 0; i < pages; i++)
            {
                var offset = (ulong)i * LargePage;
                Require(tlb.WriteRandom(new TlbEntry(SourceVirtual + offset, SourceBase + offset, Initiator, true, false, TlbPageSize.Size2MiB)) >= 0);
                Require(tlb.WriteRandom(new TlbEntry(DestinationVirtual + offset, DestinationBase + offset, Initiator, false, true, TlbPageSize.Size2MiB)) >= 0);
            }
            return tlb;
        }

        private SoftwareTlb BuildSmallPageTlb()
        {
            // All hits when both buffers' pages fit in a TLB of at most 4096 entries (up to 8 MiB a
            // side); past that a usual 64-entry TLB, refilled from the TSB on every page.
            var fits = 2 * PageCount <= SoftwareTlb.MaxEntryCount;
            var tlb = new SoftwareTlb(fits ? Math.Max(64, 2 * PageCount) : 64, 0, Ram);
            if(fits)
            {
                for(var page = 0; page < PageCount; page++)
                {
                    Require(tlb.WriteIndexed(2 * page, SourceEntry(page)));
                    Require(tlb.WriteIndexed(2 * page + 1, DestinationEntry(page)));
                }
                return tlb;
            }
            // Too many pages for the TLB: put every mapping in the TSB and let the assist refill.
            var entry = new byte[TsbEntryFormat.EntryBytes];
            foreach(var mapping in new Func<int, TlbEntry>[] { SourceEntry, DestinationEntry })
            {
                for(var page = 0; page < PageCount; page++)
                {
                    var tlbEntry = mapping(page);
                    TsbEntryFormat.Encode(tlbEntry, entry);
                    Ram.Write(TsbBase + TsbEntryFormat.SlotOf(tlbEntry.VirtualPage, TlbPageSize.Size4KiB, TsbLog2Entries) * TsbEntryFormat.EntryBytes, entry);
                }
            }
            Require(tlb.ConfigureTsb(TsbBase, TsbLog2Entries, true));
            return tlb;
        }

        private TlbEntry SourceEntry(int page)
        {
            return new TlbEntry(SourceVirtual + (ulong)page * PageSize, SourceFrame(page), Initiator, true, false);
        }

        private TlbEntry DestinationEntry(int page)
        {
            return new TlbEntry(DestinationVirtual + (ulong)page * PageSize, DestinationFrame(page), Initiator, false, true);
        }

        private ulong SourceFrame(int page)
        {
            return SourceBase + Scramble(page) * PageSize;
        }

        private ulong DestinationFrame(int page)
        {
            return DestinationBase + Scramble(page) * PageSize;
        }

        // With 4 KiB translation, a permutation of [0, PageCount) (odd multiplier, power-of-two
        // count): consecutive virtual pages land on far-apart frames. Identity otherwise.
        private ulong Scramble(int page)
        {
            return setup == TlbSetup.SmallPages ? (ulong)page * 2654435761UL % (ulong)PageCount : (ulong)page;
        }

        private int PageCount => (Size + PageSize - 1) / PageSize;

        private static void Require(bool condition)
        {
            if(!condition)
            {
                throw new InvalidOperationException("a setup step was refused");
            }
        }

        private readonly TlbSetup setup;

        private const int PageSize = 4096;
        private const int LargePage = 2 << 20;
        private const int Initiator = 5;
        private const int TsbLog2Entries = 14;
        private const ulong SourceVirtual = 0x1_0000_0000;
        // 8192 pages above a multiple of the TSB size, so source and destination pages use distinct TSB slots.
        private const ulong DestinationVirtual = 0x2_0200_0000;
        private const ulong TsbBase = RamBase + (30UL << 20);
        private const ulong DescriptorAddress = RamBase + (63UL << 20);

        // From the DMA engine's register map (channel 0).
        private const long ChannelBase = 0x100;
        private const long DescriptorPointerLow = 0x00;
        private const long DescriptorPointerHigh = 0x04;
        private const long Control = 0x08;
        private const long Status = 0x0C;
        private const uint ControlStart = 1;
        private const uint StatusDone = 2;
    }
}
