using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 4: the 32-bit engine copies a buffer between two places above 4 GiB, which it could
    // not reach on its own, through the software-managed TLB. The driver borrows every frame it
    // needs through the frame-pool device (the buffers, its I/O page table, the TSB and the
    // descriptors), maps the source eagerly into the TSB and leaves the destination to the miss
    // interrupt: its handler walks the page table in memory, writes the TLB entry, stores it in
    // the TSB and resumes the stalled channel. The destination starts half a page into its first
    // page, so every page is translated twice and the second look-up hits. The buffers and the
    // descriptors are loaded and synced through bus_dma, whose checker sees every device access.
    public sealed class TlbTransferStep : IDemoStep
    {
        public string Title => "A transfer through the software TLB, page tables in unmapped frames";

        public StepResult Run(DemoSettings settings, Action<double> progress = null)
        {
            return Transfer(settings);
        }

        public TlbTransferResult Transfer(DemoSettings settings)
        {
            var board = new EmbeddedBoard(DemoLayout.Sample());
            var pool = new FramePoolDriver(board.Bus, DemoLayout.FramePoolBase, board.DriverMemory, 4096);
            var tlb = new TlbDriver(board.Bus, DemoLayout.TlbBase);
            var dma = new DmaEngineDriver(board.Bus, DemoLayout.Dma32Base, 0, board.CpuMemory);
            var names = board.Ranges.OrderBy(r => r.Base).Select(r => r.Name).ToArray();
            var checks = new List<StepCheck>();
            var pages = settings.Quick ? 32 : 256;
            var bytes = (ulong)pages * PageSize;
            // The TSB has four slots per buffer page, and the destination starts 2 * pages pages above the
            // source, so no mapping of one buffer shares a slot with the other's.
            var tsbLog2 = settings.Quick ? 7 : 10;
            var destinationVirtual = SourceVirtual + 2 * bytes;

            var probed = tlb.Probe(out var tlbEntries, out var hasTsb) && hasTsb && dma.Probe(0);
            var window = dma.ReadWindow();
            checks.Add(new StepCheck("the TLB (with the TSB assist) and the 32-bit engine answer at their addresses", probed,
                $"{tlbEntries} TLB entries; engine window [0x{window.Base:X}, 0x{window.Last:X}]"));

            var before = pool.ReadAllStatistics(names);
            // Above 4 GiB: beyond the engine's own window, reachable only through the TLB.
            var source = pool.Borrow(new FrameRequest(bytes, HighMemory, ulong.MaxValue, MaxSegments: (uint)pages));
            var destination = pool.Borrow(new FrameRequest(bytes + PageSize, HighMemory, ulong.MaxValue, MaxSegments: (uint)pages + 1));
            var table = pool.Borrow(new FrameRequest(TablePages * IoPageTable.EntryBytes, 0, ulong.MaxValue));
            var tsbFrames = pool.Borrow(new FrameRequest((1UL << tsbLog2) * 16, 0, ulong.MaxValue, Alignment: PageSize));
            // Descriptors are fetched untranslated: they must lie in the engine's window.
            var descriptors = pool.Borrow(new FrameRequest(PageSize, window.Base, window.Last + 1));
            var borrowed = new[] { source, destination, table, tsbFrames, descriptors };
            checks.Add(new StepCheck("the driver borrows its buffers, page table, TSB and descriptors through the frame-pool device",
                borrowed.All(b => b.Succeeded), string.Join(", ", borrowed.Select(b => $"ERROR {b.Error}"))));
            if(!borrowed.All(b => b.Succeeded))
            {
                return Finish(checks, new TlbTransferResult { Pages = pages, Bytes = bytes });
            }
            var during = pool.ReadAllStatistics(names);

            var sourcePages = PagesOf(source.Segments);
            var destinationPages = PagesOf(destination.Segments);
            var data = new byte[bytes];
            new Random(settings.Seed).NextBytes(data);
            WriteScattered(board, sourcePages, 0, data);

            var pageTable = new IoPageTable(board.Bus.Memory, table.Segments[0].Address, VirtualBase, TablePages);
            pageTable.Clear();
            var tsb = new TranslationStorageBuffer(board.Bus.Memory, tsbFrames.Segments[0].Address, tsbLog2);
            tsb.Clear();
            for(var i = 0; i < sourcePages.Count; i++)
            {
                pageTable.Map(SourceVirtual + (ulong)i * PageSize, sourcePages[i], read: true, write: false);
                tsb.Store(SourceVirtual + (ulong)i * PageSize, sourcePages[i], EmbeddedBoard.Dma32Initiator, true, false);
            }
            for(var i = 0; i < destinationPages.Count; i++)
            {
                pageTable.Map(destinationVirtual + (ulong)i * PageSize, destinationPages[i], read: true, write: true);
            }
            tlb.InvalidateAll();
            tlb.ResetCounters();
            tlb.ConfigureTsb(tsb.Base, tsb.Log2Entries, enable: true);

            var copies = new List<DmaCopy>();
            var perDescriptor = bytes / DescriptorCount;
            for(var i = 0UL; i < DescriptorCount; i++)
            {
                copies.Add(new DmaCopy(SourceVirtual + i * perDescriptor, destinationVirtual + DestinationOffset + i * perDescriptor, (uint)perDescriptor));
            }
            var chain = descriptors.Segments[0].Address;
            var descriptorBytes = (ulong)dma.WriteChain(chain, copies, translate: true);

            // bus_dma as on a machine with an IOMMU: the tag reaches all of memory (the TLB does the
            // narrowing), so the loads take the buffers as they are, and the syncs hand them over.
            var layer = board.BusDma;
            var firstFinding = layer.Checker.TotalFindings;
            var deviceAccesses = layer.Checker.DeviceAccesses;
            var iommuTag = layer.CreateTag("dma32 via iotlb", DmaTagLimits.Unrestricted).Value;
            var windowTag = layer.CreateTag("dma32", DmaTagLimits.Window(window.Base, window.Last + 1)).Value;
            var sourceMap = layer.CreateMap(iommuTag, bytes).Value;
            var destinationMap = layer.CreateMap(iommuTag, bytes + PageSize).Value;
            var descriptorMap = layer.CreateMap(windowTag, PageSize).Value;
            var loads = new[]
            {
                layer.Load(sourceMap, source.Segments, DmaDirection.ToDevice),
                layer.Load(destinationMap, destination.Segments, DmaDirection.FromDevice),
                layer.LoadRaw(descriptorMap, descriptors.Segments, descriptorBytes, DmaDirection.ToDevice),
                layer.Sync(sourceMap, 0, bytes, DmaSyncOperation.PreWrite),
                layer.Sync(destinationMap, 0, bytes + PageSize, DmaSyncOperation.PreRead),
                layer.Sync(descriptorMap, 0, descriptorBytes, DmaSyncOperation.PreWrite)
            };

            dma.Start(chain);
            var state = RunToCompletion(board, dma, tlb, pageTable, tsb);
            var counters = tlb.ReadCounters();

            var unloads = new[]
            {
                layer.Sync(descriptorMap, 0, descriptorBytes, DmaSyncOperation.PostWrite),
                layer.Sync(sourceMap, 0, bytes, DmaSyncOperation.PostWrite),
                layer.Sync(destinationMap, 0, bytes + PageSize, DmaSyncOperation.PostRead)
            };
            var copied = ReadScattered(board, destinationPages, DestinationOffset, data.Length);
            var matches = copied.AsSpan().SequenceEqual(data);
            foreach(var map in new[] { sourceMap, destinationMap, descriptorMap })
            {
                layer.Unload(map);
                layer.DestroyMap(map);
            }
            var findings = layer.Checker.Findings.Where(f => f.Sequence > firstFinding).Select(f => f.ToString()).ToArray();
            var checkedAccesses = layer.Checker.DeviceAccesses - deviceAccesses;
            var busDmaErrors = loads.Concat(unloads).Where(r => !r.Succeeded).Select(r => r.ToString()).ToArray();

            tlb.ConfigureTsb(0, 0, enable: false);
            tlb.InvalidateInitiator(EmbeddedBoard.Dma32Initiator);
            var returned = borrowed.All(b => pool.Return(b.Segments) == 0);
            var after = pool.ReadAllStatistics(names);
            var wired = during.Sum(r => (long)r.Wired) - before.Sum(r => (long)r.Wired);

            checks.Add(new StepCheck("the chain completes with no error and every byte moved", state.Done && !state.Failed && state.BytesDone == bytes,
                $"STATUS 0x{state.Status:X}, ERROR_CAUSE {state.ErrorCause}, {state.BytesDone} of {bytes} bytes"));
            checks.Add(new StepCheck("the bytes at the destination equal the source", matches, $"{bytes} bytes compared"));
            checks.Add(new StepCheck("bus_dma loaded and synced every buffer, and its checker saw every device access inside them",
                busDmaErrors.Length == 0 && findings.Length == 0 && checkedAccesses > 0,
                busDmaErrors.FirstOrDefault() ?? findings.FirstOrDefault() ?? $"{checkedAccesses} device accesses checked, no findings"));
            checks.Add(new StepCheck("both buffers lie above 4 GiB, outside the engine's own window", sourcePages.Concat(destinationPages).All(p => p > window.Last),
                $"source at 0x{sourcePages[0]:X}, destination at 0x{destinationPages[0]:X}"));
            checks.Add(new StepCheck("the driver handled every miss interrupt the TLB raised", tlb.MissesHandled == counters.Faults && counters.Faults > 0 && tlb.Aborted == 0,
                $"{tlb.MissesHandled} handled, FAULTS {counters.Faults}, {tlb.Aborted} aborted"));
            checks.Add(new StepCheck("every miss was served by the TSB or by the handler", counters.Misses == counters.TsbRefills + counters.Faults,
                $"MISSES {counters.Misses} = TSB_REFILLS {counters.TsbRefills} + FAULTS {counters.Faults}"));
            checks.Add(new StepCheck("the TSB served the preloaded source without interrupts, and look-ups hit", counters.TsbRefills >= (uint)pages && counters.Hits > 0,
                $"TSB_REFILLS {counters.TsbRefills}, HITS {counters.Hits}"));
            checks.Add(new StepCheck("the frames were wired while in use and all came back", returned && RangeCounters.SameOccupancy(before, after) && wired > 0,
                $"{wired} pages wired during the transfer"));

            return Finish(checks, new TlbTransferResult
            {
                Pages = pages,
                Bytes = bytes,
                SourceVirtual = SourceVirtual,
                SourcePhysical = sourcePages[0],
                DestinationVirtual = destinationVirtual + DestinationOffset,
                DestinationPhysical = destinationPages[0] + DestinationOffset,
                TsbBase = tsb.Base,
                TsbEntries = 1 << tsb.Log2Entries,
                PageTableBase = pageTable.TableAddress,
                TlbEntries = tlbEntries,
                Descriptors = copies.Count,
                Counters = counters,
                InterruptsTaken = tlb.Interrupts,
                MissesHandled = tlb.MissesHandled,
                Aborted = tlb.Aborted,
                Channel = state,
                DestinationMatchesSource = matches,
                FramesWiredDuringTransfer = wired,
                FramesReturned = returned,
                CheckerFindings = findings,
                DeviceAccessesChecked = checkedAccesses,
                VirtualTimeNanoseconds = board.Clock.NowNanoseconds
            });
        }

        // The CPU's side: wait for an interrupt, run the TLB handler or finish on the channel's.
        private static DmaChannelState RunToCompletion(EmbeddedBoard board, DmaEngineDriver dma, TlbDriver tlb, IoPageTable table, TranslationStorageBuffer tsb)
        {
            for(var rounds = 0; rounds < MaxInterrupts && board.WaitForInterrupt(); rounds++)
            {
                if(tlb.HandleInterrupt(table, tsb))
                {
                    continue;
                }
                var state = dma.ReadState();
                if(state.Done || state.Failed)
                {
                    dma.Acknowledge();
                    return state;
                }
            }
            return dma.ReadState();
        }

        private TlbTransferResult Finish(List<StepCheck> checks, TlbTransferResult result)
        {
            var counters = result.Counters;
            return result with
            {
                Title = Title,
                Checks = checks,
                Summary = counters == null ? "the driver could not borrow its frames"
                    : $"{result.Bytes >> 10} KiB copied; TLB hits {counters.Hits}, misses {counters.Misses} ({counters.TsbRefills} TSB, {result.MissesHandled} by interrupt)"
            };
        }

        private static List<ulong> PagesOf(IEnumerable<Segment> segments)
        {
            var pages = new List<ulong>();
            foreach(var segment in segments)
            {
                for(var address = segment.Address; address < segment.End; address += PageSize)
                {
                    pages.Add(address);
                }
            }
            return pages;
        }

        private static void WriteScattered(EmbeddedBoard board, List<ulong> pages, ulong offset, byte[] data)
        {
            for(var done = 0UL; done < (ulong)data.Length;)
            {
                var position = offset + done;
                var page = pages[(int)(position / PageSize)];
                var piece = Math.Min(PageSize - position % PageSize, (ulong)data.Length - done);
                board.CpuMemory.TryWrite(page + position % PageSize, data.AsSpan((int)done, (int)piece));
                done += piece;
            }
        }

        private static byte[] ReadScattered(EmbeddedBoard board, List<ulong> pages, ulong offset, int length)
        {
            var data = new byte[length];
            for(var done = 0UL; done < (ulong)length;)
            {
                var position = offset + done;
                var page = pages[(int)(position / PageSize)];
                var piece = Math.Min(PageSize - position % PageSize, (ulong)length - done);
                board.CpuMemory.TryRead(page + position % PageSize, data.AsSpan((int)done, (int)piece));
                done += piece;
            }
            return data;
        }

        private const ulong PageSize = 4096;
        private const ulong HighMemory = 4UL << 30;
        private const ulong VirtualBase = 0x1000_0000;
        private const ulong SourceVirtual = VirtualBase;
        // The page table covers 4 MiB of device-virtual space: both buffers at their largest.
        private const int TablePages = 1024;
        private const ulong DestinationOffset = PageSize / 2;
        private const ulong DescriptorCount = 4;
        private const int MaxInterrupts = 100_000;
    }
}
