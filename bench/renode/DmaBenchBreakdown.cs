using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using Antmicro.Renode.Peripherals.Miscellaneous;
using AntShell.Commands;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals;

namespace RenodeFrameAlloc.Bench.Renode
{
    // Where a dma32 copy's time goes (`dmabench` prints it after the table): the parts of a START
    // and of a translated page, each timed alone over the same bus, memory and TLB, in nanoseconds
    // (median of the repetitions, a warm-up dropped). Not part of the plugin.
    public sealed class DmaBenchBreakdown
    {
        public DmaBenchBreakdown(IMachine machine, ICommandInteraction writer, int repetitions, Func<ulong, bool, double> oursCopy)
        {
            this.machine = machine;
            this.writer = writer;
            this.repetitions = Math.Max(repetitions, MinRepetitions);
            this.oursCopy = oursCopy;
            sysbus = machine.SystemBus;
            ram = (IMapped)sysbus.WhatIsAt(Source).Peripheral;
        }

        // Per START, untranslated: a register write through the bus (DESC_PTR), a whole START of a
        // 64-byte copy (the fixed cost), and for size bytes: the START, the same copy through the
        // engine's bus view alone (SystemBusMemory.TryCopy, its translation-block invalidation
        // included), that invalidation alone (TranslationCPU, tlib), and a plain memcpy between the
        // same guest RAM segments.
        public void PerStart(ulong size)
        {
            var channel = Dma32 + 0x100;
            var registerWrite = PerOperation(() =>
            {
                for(var i = 0; i < 1000; i++)
                {
                    sysbus.WriteDoubleWord(channel + 0x00, (uint)Descriptors);
                }
            }, 1000);
            var smallStart = MedianOf(() => oursCopy(64, false)) * 1e9;
            var start = MedianOf(() => oursCopy(size, false)) * 1e9;
            var memory = new SystemBusMemory(sysbus, machine);
            var copy = PerOperation(() =>
            {
                memory.BeginBatch();
                memory.TryCopy(Source, Destination, size);
                memory.EndBatch();
            }, 1);
            var cpu = sysbus.GetCPUs().OfType<TranslationCPU>().First();
            var invalidate = PerOperation(() =>
            {
                cpu.OrderTranslationBlocksInvalidation(new IntPtr((long)Destination), new IntPtr((long)(Destination + size)), true);
                cpu.InvalidateTranslationBlocks();
            }, 1);
            var raw = RawCopy(size, 1);
            writer.WriteLine($"Per START, untranslated (ns, median): register write {registerWrite:F0}; whole START of 64 B {smallStart:F0}.");
            writer.WriteLine($"  {DmaBenchRun.Size(size)}: whole START {start:F0} = bus-view copy {copy:F0} (memcpy between the RAM segments {raw:F0},"
                + $" TB invalidation {invalidate:F0}) + the rest {start - copy:F0}");
        }

        // Per translated 4 KiB page: a translation that misses and is refilled from the TSB (each
        // page of the run, so every one misses), one that hits, a 16-byte TSB read, a 4 KiB copy
        // through the bus view page by page, and a plain memcpy page by page; against the whole
        // translated START of size bytes divided by its pages.
        public void PerPage(ulong size)
        {
            var tlb = (SoftwareManagedTlb)sysbus.WhatIsAt(Iotlb).Peripheral;
            var pages = (int)(size / Page);
            var memory = new SystemBusMemory(sysbus, machine);
            var refill = PerOperation(() =>
            {
                for(var i = 0; i < pages; i++)
                {
                    tlb.Translate(VirtualSource + (ulong)i * Page, Initiator, DmaAccess.Read, null, out _, out _);
                }
            }, pages);
            var hit = PerOperation(() =>
            {
                for(var i = 0; i < pages; i++)
                {
                    tlb.Translate(VirtualSource, Initiator, DmaAccess.Read, null, out _, out _);
                }
            }, pages);
            var entry = new byte[16];
            var tsbRead = PerOperation(() =>
            {
                for(var i = 0; i < pages; i++)
                {
                    memory.TryRead(Tsb + (ulong)i * 16, entry);
                }
            }, pages);
            var pageCopy = PerOperation(() =>
            {
                memory.BeginBatch();
                for(var i = 0; i < pages; i++)
                {
                    memory.TryCopy(Source + (ulong)i * Page, Destination + (ulong)i * Page, Page);
                }
                memory.EndBatch();
            }, pages);
            var raw = RawCopy(size, pages);
            var whole = MedianOf(() => oursCopy(size, true)) * 1e9 / pages;
            writer.WriteLine($"Per translated 4 KiB page (ns, median, over {DmaBenchRun.Size(size)}): whole translated START {whole:F0};"
                + $" TLB miss refilled from the TSB {refill:F0} (of which the 16-byte TSB read {tsbRead:F0}), TLB hit {hit:F0};"
                + $" 4 KiB copy through the bus view {pageCopy:F0}, plain memcpy {raw:F0}");
        }

        // Nanoseconds per operation of a plain memcpy of size bytes, Source to Destination, between
        // the RAM's segments, in pieces of size / pieces.
        private unsafe double RawCopy(ulong size, int pieces)
        {
            var from = Pointer(Source - RamBase);
            var to = Pointer(Destination - RamBase);
            var piece = (long)size / pieces;
            return PerOperation(() =>
            {
                for(var i = 0; i < pieces; i++)
                {
                    Buffer.MemoryCopy((void*)(from + i * piece), (void*)(to + i * piece), piece, piece);
                }
            }, pieces);
        }

        // Host address of RAM byte offset (the sizes used here stay inside one segment).
        private long Pointer(ulong offset)
        {
            var segment = ram.MappedSegments.First(x => x.StartingOffset <= offset && offset - x.StartingOffset < x.Size);
            segment.Touch();
            return (long)segment.Pointer + (long)(offset - segment.StartingOffset);
        }

        private double PerOperation(Action action, int count)
        {
            return MedianOf(() =>
            {
                var begin = Stopwatch.GetTimestamp();
                action();
                return (Stopwatch.GetTimestamp() - begin) / (double)Stopwatch.Frequency;
            }) * 1e9 / count;
        }

        // Median over the repetitions (a warm-up dropped), garbage collected once before.
        private double MedianOf(Func<double> seconds)
        {
            var times = new List<double>();
            DmaBenchRun.Settle();
            for(var r = 0; r <= repetitions; r++)
            {
                var value = seconds();
                if(r > 0)
                {
                    times.Add(value);
                }
            }
            return DmaBenchRun.Median(times);
        }

        private readonly IMachine machine;
        private readonly ICommandInteraction writer;
        private readonly int repetitions;
        private readonly Func<ulong, bool, double> oursCopy;
        private readonly IBusController sysbus;
        private readonly IMapped ram;

        private const ulong Page = 4096;
        // Each part is short: more samples than the table's keep its median steady.
        private const int MinRepetitions = 15;
        private const ulong RamBase = 0x80000000;
        private const ulong Source = 0x80000000;
        private const ulong Destination = 0x84000000;
        private const ulong Tsb = 0x8C000000;
        private const ulong Descriptors = 0x8E000000;
        private const ulong VirtualSource = 0x40000000;
        private const ulong Iotlb = 0x10002000;
        private const ulong Dma32 = 0x10004000;
        private const int Initiator = 2;
    }
}
