using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.DMA;
using Antmicro.Renode.Peripherals.Memory;
using Antmicro.Renode.Peripherals.Miscellaneous;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Peripherals;
using Antmicro.Renode.Time;
using AntShell.Commands;

namespace RenodeFrameAlloc.Bench.Renode
{
    // One run of `dmabench` (see DmaBenchCommand).
    public sealed class DmaBenchRun
    {
        public DmaBenchRun(IMachine machine, ICommandInteraction writer, int repetitions, ulong maxSize)
        {
            this.machine = machine ?? throw new InvalidOperationException("no current machine: run dma-bench.resc");
            this.writer = writer;
            this.repetitions = repetitions;
            this.maxSize = Math.Min(maxSize, MaxSize);
            sysbus = machine.SystemBus;
            ram = sysbus.WhatIsAt(Source)?.Peripheral as MappedMemory ?? throw new InvalidOperationException("no MappedMemory at 0x80000000");
            ramBase = sysbus.WhatIsAt(Source).RegistrationPoint.Range.StartAddress;
            var pdma = sysbus.WhatIsAt(Pdma)?.Peripheral ?? throw new InvalidOperationException("no MPFS_PDMA at 0x10010000: load robot-tests/stock-dma.repl");
            pdmaEngine = new DmaEngine(machine.GetSystemBus(pdma));
        }

        public void Execute()
        {
            var sizes = new List<ulong>();
            for(var size = 4UL * 1024; size <= maxSize; size *= 4)
            {
                sizes.Add(size);
            }
            writer.WriteLine($"dmabench: {repetitions} repetitions (+1 warm-up) per size; {Environment.ProcessorCount} host cores; runtime {RuntimeInformation.FrameworkDescription}");
            sourceBytes = new byte[maxSize];
            new Random(20240611).NextBytes(sourceBytes);
            ram.WriteBytes((long)(Source - ramBase), sourceBytes, 0, sourceBytes.Length);
            checkBytes = new byte[maxSize];
            PrepareTlb();
            hostSource = Marshal.AllocHGlobal((IntPtr)(long)maxSize);
            hostDestination = Marshal.AllocHGlobal((IntPtr)(long)maxSize);
            try
            {
                Marshal.Copy(sourceBytes, 0, hostSource, sourceBytes.Length);
                var profile = Environment.GetEnvironmentVariable("DMABENCH_PROFILE");
                if(profile == "tlb" || profile == "plain")
                {
                    // A steady loop of one kind of copy for a sampling profiler (perf record).
                    var watch = Stopwatch.StartNew();
                    var copies = 0;
                    while(Seconds(watch) < 10)
                    {
                        OursCopy(maxSize, profile == "tlb");
                        copies++;
                    }
                    writer.WriteLine($"profile: {copies} copies of {Size(maxSize)} ({profile})");
                    return;
                }
                writer.WriteLine("MB/s = 10^6 bytes/s, best / median of the repetitions; ratios of medians.");
                writer.WriteLine("PDMA: the copy MPFS_PDMA runs in its synced-state action (DmaEngine.IssueCopy, byte transfers, on its bus), timed alone;");
                writer.WriteLine("  its programming and the virtual time until that action runs are left out (see bench/README.md), so it is the stricter baseline.");
                writer.WriteLine("");
                writer.WriteLine("| size | ours | ours+TLB | PDMA | memcpy | ours / PDMA | ours+TLB / PDMA | ours / memcpy | ours+TLB / memcpy | ours alloc B/copy |");
                writer.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
                foreach(var size in sizes)
                {
                    var ours = Measure(size, () => OursCopy(size, translated: false));
                    var oursAllocated = lastAllocated;
                    var tlb = Measure(size, () => OursCopy(size, translated: true));
                    var pdma = Measure(size, () => PdmaEngineCopy(size));
                    var memcpy = Measure(size, () => HostCopy(size));
                    writer.WriteLine($"| {Size(size)} | {Range(size, ours)} | {Range(size, tlb)} | {Range(size, pdma)} | {Range(size, memcpy)} | {Ratio(pdma, ours)} | {Ratio(pdma, tlb)} | {Ratio(memcpy, ours)} | {Ratio(memcpy, tlb)} | {oursAllocated} |");
                }
                CheckTlbQuiet();
                writer.WriteLine("");
                var breakdown = new DmaBenchBreakdown(machine, writer, repetitions, OursCopy);
                breakdown.PerStart(Math.Min(maxSize, 1024UL * 1024));
                breakdown.PerPage(Math.Min(maxSize, 4096UL * 1024));
                writer.WriteLine("");
                ChainBound();
                writer.WriteLine("");
                CheckerCost(sizes);
            }
            finally
            {
                Marshal.FreeHGlobal(hostSource);
                Marshal.FreeHGlobal(hostDestination);
            }
        }

        // Wall seconds of each measured repetition (the first, a warm-up, dropped); each checked.
        // Garbage is collected once before (MPFS_PDMA allocates an array of the size per copy), not
        // before each sample: a collection leaves the caches cold for the next copy.
        private List<double> Measure(ulong size, Func<double> copy)
        {
            var times = new List<double>();
            Settle();
            for(var i = 0; i <= repetitions; i++)
            {
                var seconds = copy();
                if(i > 0)
                {
                    times.Add(seconds);
                }
            }
            return times;
        }

        private double OursCopy(ulong size, bool translated)
        {
            ClearDestination(size);
            var descriptor = Descriptors;
            WriteDescriptor(descriptor, translated ? VirtualSource : Source, translated ? VirtualDestination : Destination, size,
                EndOfChain | (translated ? TranslateBoth : 0), 0);
            var channel = Dma32 + 0x100;
            sysbus.WriteDoubleWord(channel + 0x0C, 0x16);
            sysbus.WriteDoubleWord(channel + 0x00, (uint)descriptor);
            sysbus.WriteDoubleWord(channel + 0x04, (uint)(descriptor >> 32));
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            sysbus.WriteDoubleWord(channel + 0x08, 0x1);
            watch.Stop();
            lastAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
            ExpectDone(channel, size, 1);
            CheckDestination(size, translated ? "ours+TLB" : "ours");
            return Seconds(watch);
        }

        // The DMA checker's cost on dma32's copy (untranslated, bandwidth 0): the engine with no
        // checker attached (its bus view's watch removed by reflection: the board always attaches
        // one), attached but off (the board's default), on (frames borrowed, so no finding), and on
        // with both buffers loaded as guest maps and synced (the map-aware checks run too).
        private void CheckerCost(List<ulong> sizes)
        {
            var checker = sysbus.WhatIsAt(Checker)?.Peripheral as DmaCheckerDevice ?? throw new InvalidOperationException("no DmaCheckerDevice at 0x10005000");
            var dma = sysbus.WhatIsAt(Dma32)?.Peripheral ?? throw new InvalidOperationException("no dma32");
            var memory = (SystemBusMemory)dma.GetType().GetField("memory", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance).GetValue(dma);
            var pool = checker.Model.FramePool ?? ((FramePoolDevice)sysbus.WhatIsAt(0x10001000).Peripheral).Allocator;
            foreach(var start in new[] { Source, Destination, Descriptors })
            {
                var length = start == Descriptors ? 0x1000UL : maxSize;
                var borrowed = pool.Allocate(length, new AllocationConstraints { Low = start, High = start + length, Alignment = 0x1000, MaxSegments = 1 });
                if(!borrowed.Succeeded)
                {
                    throw new InvalidOperationException($"cannot borrow [0x{start:X}, +0x{length:X}) for the checker run: {borrowed.Message}");
                }
            }
            writer.WriteLine("DMA checker on dma32's copy: MB/s best / median; ratios of medians against no checker attached.");
            writer.WriteLine("| size | no checker | attached, off | on | on, maps loaded | off / none | on / none | on+maps / none |");
            writer.WriteLine("|---|---|---|---|---|---|---|---|");
            var rows = new List<(ulong, List<double>, List<double>, List<double>)>();
            foreach(var size in sizes)
            {
                memory.Watch(null, null);
                var none = Measure(size, () => OursCopy(size, translated: false));
                memory.Watch(checker, dma);
                checker.Enabled = false;
                var off = Measure(size, () => OursCopy(size, translated: false));
                checker.Enabled = true;
                var on = Measure(size, () => OursCopy(size, translated: false));
                checker.Enabled = false;
                rows.Add((size, none, off, on));
            }
            // Loaded once over the largest buffers (an unloaded map's bytes stay suspect).
            var checks = checker.Model.Checker;
            checker.Enabled = true;
            checks.ReportLoad(1, new[] { new ReportedSegment(Source, Source, maxSize) }, DmaDirection.ToDevice);
            checks.ReportLoad(2, new[] { new ReportedSegment(Destination, Destination, maxSize) }, DmaDirection.FromDevice);
            foreach(var (size, none, off, on) in rows)
            {
                var maps = Measure(size, () =>
                {
                    checks.ReportSync(1, 0, size, DmaSyncOperation.PreWrite);
                    checks.ReportSync(2, 0, size, DmaSyncOperation.PreRead);
                    var seconds = OursCopy(size, translated: false);
                    checks.ReportSync(2, 0, size, DmaSyncOperation.PostRead);
                    checks.ReportSync(1, 0, size, DmaSyncOperation.PostWrite);
                    return seconds;
                });
                writer.WriteLine($"| {Size(size)} | {Range(size, none)} | {Range(size, off)} | {Range(size, on)} | {Range(size, maps)} | {Ratio(none, off)} | {Ratio(none, on)} | {Ratio(none, maps)} |");
            }
            checks.ReportUnload(1);
            checks.ReportUnload(2);
            checker.Enabled = false;
            if(checker.Model.FindingsSinceClear != 0)
            {
                throw new InvalidOperationException($"the checker reported {checker.Model.FindingsSinceClear} findings during the run:\n{checker.Findings()}");
            }
        }

        private double PdmaEngineCopy(ulong size)
        {
            ClearDestination(size);
            var request = new Request(Source, Destination, (int)size, TransferType.Byte, TransferType.Byte);
            var watch = Stopwatch.StartNew();
            pdmaEngine.IssueCopy(request);
            watch.Stop();
            CheckDestination(size, "PDMA copy");
            return Seconds(watch);
        }

        private unsafe double HostCopy(ulong size)
        {
            new Span<byte>((void*)hostDestination, (int)size).Clear();
            var watch = Stopwatch.StartNew();
            Buffer.MemoryCopy((void*)hostSource, (void*)hostDestination, (long)size, (long)size);
            watch.Stop();
            if(!new ReadOnlySpan<byte>((void*)hostDestination, (int)size).SequenceEqual(sourceBytes.AsSpan(0, (int)size)))
            {
                throw new InvalidOperationException("memcpy: wrong bytes");
            }
            return Seconds(watch);
        }

        // The step bound's own cost: a 64 MiB (or maxSize) chain of 1 MiB descriptors, longer than
        // the bound, so it continues in steps on virtual time, against the same chain with the bound
        // lifted (all of it inside the START write). Both are driven alike: the START write is a
        // scheduled action at 1 ns of virtual time (so every copy runs on the emulation thread
        // either way), then as many 10 us runs of virtual time as the bounded chain needs to
        // finish, timed from before the first run to the end of the last; so the difference is what
        // the bound adds (its wakes and the split), not the cost of running virtual time. Paired
        // samples, lifted and bounded alternating.
        private void ChainBound()
        {
            var total = maxSize;
            var piece = Math.Min(total, 1024UL * 1024);
            var count = (int)(total / piece);
            var dma32 = sysbus.WhatIsAt(Dma32).Peripheral;
            var bound = dma32.GetType().GetProperty("ChainStepBytes");
            if(bound == null)
            {
                writer.WriteLine("chain bound: dma32 has no ChainStepBytes property; skipped");
                return;
            }
            var original = (ulong)bound.GetValue(dma32);
            // The default bound, or a quarter of a shorter chain (DMABENCH_MAX_KIB), so it steps.
            var stepBound = Math.Min(original, Math.Max(piece, total / 4));
            for(var i = 0; i < count; i++)
            {
                var at = Descriptors + (ulong)i * 32;
                var offset = (ulong)i * piece;
                WriteDescriptor(at, Source + offset, Destination + offset, piece, i == count - 1 ? EndOfChain : 0, at + 32);
            }
            var bounded = new List<double>();
            var lifted = new List<double>();
            var differences = new List<double>();
            var runs = 0;
            try
            {
                // The bounded chain first, once, to learn how many runs it needs.
                bound.SetValue(dma32, stepBound);
                Settle();
                ChainCopy(total, count, -1, out runs);
                for(var i = 0; i <= Math.Max(repetitions, MinChainPairs); i++)
                {
                    bound.SetValue(dma32, ulong.MaxValue);
                    var free = ChainCopy(total, count, runs, out _);
                    bound.SetValue(dma32, stepBound);
                    var stepped = ChainCopy(total, count, runs, out _);
                    if(i > 0)
                    {
                        lifted.Add(free);
                        bounded.Add(stepped);
                        differences.Add(stepped - free);
                    }
                }
            }
            finally
            {
                bound.SetValue(dma32, original);
            }
            var steps = (int)((total + stepBound - 1) / stepBound);
            writer.WriteLine($"Step bound: chain of {count} x {Size(piece)} ({Size(total)}), ours, bandwidth 0; START at 1 ns, then {runs} runs of 10 us virtual time each way;"
                + $" {lifted.Count} pairs:");
            writer.WriteLine($"  bound lifted:       median {Median(lifted) * 1e3:F3} ms, best {lifted.Min() * 1e3:F3} ms (whole chain inside the START write)");
            writer.WriteLine($"  bound {Size(stepBound)}{(stepBound == original ? " (default)" : "")}: median {Median(bounded) * 1e3:F3} ms, best {bounded.Min() * 1e3:F3} ms ({steps} steps: START and {steps - 1} wakes)");
            // The wakes alone: one 10 us run with steps - 1 empty actions chained at 1 ns apart, as
            // the engine schedules its steps, against the same run with none.
            var wakeCosts = new List<double>();
            Settle();
            for(var i = 0; i <= Math.Max(repetitions, MinChainPairs); i++)
            {
                var none = WakeChain(0);
                var some = WakeChain(steps - 1);
                if(i > 0)
                {
                    wakeCosts.Add((some - none) / Math.Max(1, steps - 1));
                }
            }
            writer.WriteLine($"  one wake alone (an empty action at 1 ns in a 10 us run, paired against none): median {Median(wakeCosts) * 1e6:F1} us");
            writer.WriteLine($"  bounded - lifted, paired: median {Median(differences) * 1e6:F0} us, min {differences.Min() * 1e6:F0} us, max {differences.Max() * 1e6:F0} us"
                + $" ({Median(differences) / Median(lifted) * 100:F1} % of the lifted time); bounded / lifted throughput (medians) {Median(lifted) / Median(bounded):F3}");
        }

        // Seconds of one 10 us run of virtual time with `wakes` empty actions, each scheduling the
        // next 1 ns later (what the engine's steps do, without the copy).
        private double WakeChain(int wakes)
        {
            var left = wakes;
            Action<TimeInterval> wake = null;
            wake = _ =>
            {
                if(--left > 0)
                {
                    machine.ScheduleAction(TimeInterval.FromNanoseconds(1), wake, "dmabench wake");
                }
            };
            if(wakes > 0)
            {
                machine.ScheduleAction(TimeInterval.FromNanoseconds(1), wake, "dmabench wake");
            }
            var watch = Stopwatch.StartNew();
            RunTenMicroseconds();
            return Seconds(watch);
        }

        // Seconds from the first run of virtual time (the START write is scheduled at 1 ns) to the
        // end of the last: exactly `runs` runs, or (runs < 0) as many as the chain needs to finish,
        // counted in needed.
        private double ChainCopy(ulong total, int count, int runs, out int needed)
        {
            ClearDestination(total);
            var channel = Dma32 + 0x100;
            sysbus.WriteDoubleWord(channel + 0x0C, 0x16);
            sysbus.WriteDoubleWord(channel + 0x00, (uint)Descriptors);
            sysbus.WriteDoubleWord(channel + 0x04, (uint)(Descriptors >> 32));
            machine.ScheduleAction(TimeInterval.FromNanoseconds(1), _ => sysbus.WriteDoubleWord(channel + 0x08, 0x1), "dmabench START");
            var watch = Stopwatch.StartNew();
            needed = 0;
            while(runs < 0 ? needed == 0 || ((sysbus.ReadDoubleWord(channel + 0x0C) & 0x1) != 0 && needed < 10000) : needed < runs)
            {
                RunTenMicroseconds();
                needed++;
            }
            watch.Stop();
            ExpectDone(channel, total, (uint)count);
            CheckDestination(total, "chain");
            return Seconds(watch);
        }

        // TSB of 2^15 4 KiB entries: source pages in slots [0, 16K), destination pages in [16K, 32K).
        private void PrepareTlb()
        {
            var pages = (int)(maxSize / 4096);
            var table = new byte[TsbEntries * 16];
            for(var i = 0; i < pages; i++)
            {
                PutTsbEntry(table, VirtualSource + (ulong)i * 4096, Source + (ulong)i * 4096);
                PutTsbEntry(table, VirtualDestination + (ulong)i * 4096, Destination + (ulong)i * 4096);
            }
            ram.WriteBytes((long)(Tsb - ramBase), table, 0, table.Length);
            sysbus.WriteDoubleWord(Iotlb + 0x24, 5);
            sysbus.WriteDoubleWord(Iotlb + 0x3C, (uint)Tsb);
            sysbus.WriteDoubleWord(Iotlb + 0x40, (uint)(Tsb >> 32));
            sysbus.WriteDoubleWord(Iotlb + 0x44, 1 | (TsbLog2 << 8));
            sysbus.WriteDoubleWord(Iotlb + 0x24, 10);
        }

        private static void PutTsbEntry(byte[] table, ulong virtualPage, ulong physicalPage)
        {
            var slot = (int)((virtualPage >> 12) % TsbEntries);
            var tag = virtualPage | Dma32Initiator;
            var data = physicalPage | 0x7;
            BitConverter.TryWriteBytes(table.AsSpan(slot * 16, 8), tag);
            BitConverter.TryWriteBytes(table.AsSpan(slot * 16 + 8, 8), data);
        }

        private void CheckTlbQuiet()
        {
            var faults = sysbus.ReadDoubleWord(Iotlb + 0x58);
            var tsbRefills = sysbus.ReadDoubleWord(Iotlb + 0x54);
            if(faults != 0 || (sysbus.ReadDoubleWord(Iotlb + 0x28) & 1) != 0)
            {
                throw new InvalidOperationException($"the TLB reported {faults} faults: a translated copy missed");
            }
            writer.WriteLine($"TLB: {tsbRefills} TSB refills, 0 faults (no miss interrupts)");
        }

        private void RunTenMicroseconds()
        {
            EmulationManager.Instance.CurrentEmulation.RunFor(TimeInterval.FromMicroseconds(10));
        }

        private void ExpectDone(ulong channel, ulong size, uint descriptors)
        {
            var status = sysbus.ReadDoubleWord(channel + 0x0C);
            var cause = sysbus.ReadDoubleWord(channel + 0x10);
            var done = sysbus.ReadDoubleWord(channel + 0x14) | ((ulong)sysbus.ReadDoubleWord(channel + 0x18) << 32);
            if((status & 0x7) != 0x2 || done != size || sysbus.ReadDoubleWord(channel + 0x24) != descriptors)
            {
                throw new InvalidOperationException($"dma32: status 0x{status:X}, cause {cause}, {done} bytes done; expected DONE after {size}");
            }
        }

        // Zeroes the destination in place (MappedMemory.ZeroRange would allocate an array of the
        // size, whose collection then lands in later samples). No CPU runs code there.
        private unsafe void ClearDestination(ulong size)
        {
            var offset = Destination - ramBase;
            var done = 0UL;
            while(done < size)
            {
                var at = offset + done;
                var segment = ((IMapped)ram).MappedSegments.First(x => x.StartingOffset <= at && at - x.StartingOffset < x.Size);
                segment.Touch();
                var count = Math.Min(size - done, segment.Size - (at - segment.StartingOffset));
                new Span<byte>((void*)((long)segment.Pointer + (long)(at - segment.StartingOffset)), (int)count).Clear();
                done += count;
            }
        }

        private void CheckDestination(ulong size, string who)
        {
            ram.ReadBytes((long)(Destination - ramBase), (int)size, checkBytes, 0);
            if(!checkBytes.AsSpan(0, (int)size).SequenceEqual(sourceBytes.AsSpan(0, (int)size)))
            {
                throw new InvalidOperationException($"{who}: wrong bytes after copying {size}");
            }
        }

        private void WriteDescriptor(ulong at, ulong source, ulong destination, ulong length, uint control, ulong next)
        {
            var raw = new byte[32];
            BitConverter.TryWriteBytes(raw.AsSpan(0, 8), source);
            BitConverter.TryWriteBytes(raw.AsSpan(8, 8), destination);
            BitConverter.TryWriteBytes(raw.AsSpan(16, 4), (uint)length);
            BitConverter.TryWriteBytes(raw.AsSpan(20, 4), control);
            BitConverter.TryWriteBytes(raw.AsSpan(24, 8), next);
            ram.WriteBytes((long)(at - ramBase), raw, 0, raw.Length);
        }

        private void WritePair(ulong address, ulong value)
        {
            sysbus.WriteDoubleWord(address, (uint)value);
            sysbus.WriteDoubleWord(address + 4, (uint)(value >> 32));
        }

        // Stopwatch ticks as seconds: Elapsed rounds to 100 ns, too coarse for small copies.
        private static double Seconds(Stopwatch watch)
        {
            return watch.ElapsedTicks / (double)Stopwatch.Frequency;
        }

        // Collects garbage now, so no collection of what earlier samples left runs during the next ones.
        internal static void Settle()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        internal static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            var middle = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        // MB/s (10^6 bytes per second): best (min time) and median.
        private static string Range(ulong size, List<double> times)
        {
            return $"{size / times.Min() / 1e6:F0} / {size / Median(times) / 1e6:F0}";
        }

        // Throughput ratio, medians: how many times faster `faster` is than `baseline`.
        private static string Ratio(List<double> baseline, List<double> faster)
        {
            return $"{Median(baseline) / Median(faster):F2}";
        }

        internal static string Size(ulong bytes)
        {
            return bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";
        }

        private readonly IMachine machine;
        private readonly ICommandInteraction writer;
        private readonly int repetitions;
        private readonly ulong maxSize;
        private readonly IBusController sysbus;
        private readonly MappedMemory ram;
        private readonly ulong ramBase;
        private readonly DmaEngine pdmaEngine;
        private byte[] sourceBytes;
        private byte[] checkBytes;
        private IntPtr hostSource;
        private IntPtr hostDestination;
        private long lastAllocated;

        private const ulong MaxSize = 64UL * 1024 * 1024;
        private const int MinChainPairs = 15;
        private const ulong Source = 0x80000000;
        private const ulong Destination = 0x84000000;
        private const ulong Tsb = 0x8C000000;
        private const ulong Descriptors = 0x8E000000;
        private const ulong VirtualSource = 0x40000000;
        private const ulong VirtualDestination = 0x4C000000;
        private const ulong Iotlb = 0x10002000;
        private const ulong Dma32 = 0x10004000;
        private const ulong Checker = 0x10005000;
        private const ulong Pdma = 0x10010000;
        private const ulong Dma32Initiator = 2;
        private const uint TsbLog2 = 15;
        private const int TsbEntries = 1 << 15;
        private const uint EndOfChain = 0x1;
        private const uint TranslateBoth = 0xC;
    }
}
