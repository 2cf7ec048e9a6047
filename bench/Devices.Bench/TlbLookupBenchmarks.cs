using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Bench
{
    // Time of one TLB hit (Translate of an address whose entry is loaded), against a lookup in a
    // Dictionary page table (what a model without a TLB would do per page). Every call hits.
    [MemoryDiagnoser]
    public class TlbLookupBenchmarks
    {
        [Params(64, 1024)]
        public int EntryCount { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            tlb = new SoftwareManagedTlbModel(EntryCount);
            pageTable = new Dictionary<ulong, ulong>();
            var random = new Random(1);
            for(var i = 0; i < EntryCount; i++)
            {
                var virtualPage = VirtualBase + (ulong)i * 4096;
                var physicalPage = PhysicalBase + (ulong)random.Next(0, 1 << 20) * 4096;
                if(!tlb.WriteIndexed(i, new TlbEntry(virtualPage, physicalPage, Initiator, true, true)))
                {
                    throw new InvalidOperationException("setup: entry refused");
                }
                pageTable[virtualPage] = physicalPage;
            }
            // A DMA's access pattern: every mapped page in turn, some offset into each.
            addresses = new ulong[LookupsPerInvoke];
            for(var i = 0; i < addresses.Length; i++)
            {
                addresses[i] = VirtualBase + (ulong)(i % EntryCount) * 4096 + (ulong)(i * 64 % 4096);
            }
            if(TlbHit() != DictionaryPageTable())
            {
                throw new InvalidOperationException("setup: the TLB and the page table disagree");
            }
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = LookupsPerInvoke)]
        public ulong DictionaryPageTable()
        {
            var sum = 0UL;
            foreach(var address in addresses)
            {
                sum += pageTable[address & ~0xFFFUL] | (address & 0xFFF);
            }
            return sum;
        }

        [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
        public ulong TlbHit()
        {
            var sum = 0UL;
            foreach(var address in addresses)
            {
                if(tlb.Translate(address, Initiator, DmaAccess.Write, null, out var physical, out _) != TranslationStatus.Ok)
                {
                    throw new InvalidOperationException("not a hit");
                }
                sum += physical;
            }
            return sum;
        }

        private SoftwareManagedTlbModel tlb;
        private Dictionary<ulong, ulong> pageTable;
        private ulong[] addresses;

        private const int LookupsPerInvoke = 4096;
        private const int Initiator = 3;
        private const ulong VirtualBase = 0x10_0000_0000;
        private const ulong PhysicalBase = 0x8000_0000;
    }
}
