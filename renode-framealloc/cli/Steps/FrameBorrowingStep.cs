using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 1: a driver borrows unmapped frames from each bus range through the frame-pool
    // device's registers, a contiguous aligned block and a scattered one per range, then returns
    // them; the device's statistics registers are read before, while the frames are out and after.
    // The device must also refuse a request bigger than a range's free memory and a second return
    // of the same block, each with its documented ERROR value and nothing changed.
    public sealed class FrameBorrowingStep : IDemoStep
    {
        public string Title => "Borrowing unmapped frames through the frame-pool device";

        public StepResult Run(DemoSettings settings, Action<double> progress = null)
        {
            return Borrow(settings);
        }

        public FrameBorrowingResult Borrow(DemoSettings settings)
        {
            var board = new EmbeddedBoard(DemoLayout.Sample());
            var driver = new FramePoolDriver(board.Bus, DemoLayout.FramePoolBase, board.DriverMemory, ResultCapacity);
            var names = board.Ranges.OrderBy(r => r.Base).Select(r => r.Name).ToArray();
            var random = new Random(settings.Seed);
            var checks = new List<StepCheck>();

            var probed = driver.Probe() && driver.RangeCount == names.Length;
            checks.Add(new StepCheck("the device answers with the frame-pool ID and one statistics block per bus range", probed,
                $"{driver.RangeCount} ranges"));
            var before = driver.ReadAllStatistics(names);

            var blocks = new List<BorrowedBlock>();
            for(var i = 0; i < names.Length; i++)
            {
                var range = before[i];
                var contiguous = new FrameRequest(ContiguousBytes, range.Base, range.Base + range.Size,
                    Alignment: ContiguousBytes, Boundary: ContiguousBytes, MaxSegments: 1, PreferredRange: (uint)(i + 1));
                var scatteredPages = (ulong)random.Next(settings.Quick ? 8 : 32, (settings.Quick ? 64 : 256) + 1);
                var scattered = new FrameRequest(scatteredPages * range.PageSize, range.Base, range.Base + range.Size,
                    MaxSegments: ScatteredSegments, MaxSegmentSize: ScatteredSegmentBytes, PreferredRange: (uint)(i + 1));
                blocks.Add(BorrowOne(driver, names[i], "contiguous, 64 KiB aligned, no 64 KiB crossing", contiguous));
                blocks.Add(BorrowOne(driver, names[i], $"scattered, segments of at most {ScatteredSegmentBytes >> 10} KiB", scattered));
            }
            var borrowed = driver.ReadAllStatistics(names);

            // A request one page bigger than what the smallest range has free must fail whole.
            var isa = borrowed[0];
            var oversize = driver.Borrow(new FrameRequest(((ulong)isa.Free + 1) * isa.PageSize, isa.Base, isa.Base + isa.Size,
                MaxSegments: ResultCapacity));
            var afterOversize = driver.ReadAllStatistics(names);

            for(var i = blocks.Count - 1; i >= 0; i--)
            {
                var block = blocks[i];
                blocks[i] = block with { ReturnError = block.Succeeded ? driver.Return(block.Segments) : 0 };
            }
            var afterReturn = driver.ReadAllStatistics(names);
            var secondReturn = blocks[0].Segments.Length > 0 ? driver.Return(blocks[0].Segments) : uint.MaxValue;
            var after = driver.ReadAllStatistics(names);

            var failed = blocks.Where(b => !b.Succeeded).ToList();
            checks.Add(new StepCheck("every borrow succeeds", failed.Count == 0,
                failed.Count == 0 ? $"{blocks.Count} blocks borrowed" : $"{failed.Count} failed, first with ERROR {failed[0].BorrowError}"));
            var misplaced = blocks.Where(b => b.Succeeded).Select(b => Violation(b)).Where(v => v != null).ToList();
            checks.Add(new StepCheck("every segment lies in the range asked for and keeps the request's alignment, boundary and segment limits",
                misplaced.Count == 0, misplaced.Count == 0 ? $"{blocks.Sum(b => b.Segments.Length)} segments checked" : misplaced[0]));
            var wiredMismatch = Enumerable.Range(0, names.Length)
                .Where(i => borrowed[i].Wired - before[i].Wired != PagesFrom(blocks, names[i], before[i].PageSize)).ToList();
            checks.Add(new StepCheck("while the frames are out, each range's WIRED grew by exactly the pages borrowed from it",
                wiredMismatch.Count == 0, string.Join(", ", names.Select((n, i) => $"{n} +{borrowed[i].Wired - before[i].Wired}"))));
            checks.Add(new StepCheck("a request one page bigger than the range's free memory is refused with INSUFFICIENT_MEMORY (7) and changes nothing",
                oversize.Error == InsufficientMemory && RangeCounters.SameOccupancy(borrowed, afterOversize), $"ERROR {oversize.Error}"));
            var refusedReturns = blocks.Where(b => b.ReturnError != 0).ToList();
            checks.Add(new StepCheck("every return is taken back", refusedReturns.Count == 0,
                refusedReturns.Count == 0 ? $"{blocks.Count} returned" : $"{refusedReturns.Count} refused, first with ERROR {refusedReturns[0].ReturnError}"));
            checks.Add(new StepCheck("returning a block a second time is refused with NOT_ALLOCATED (10) and changes nothing",
                secondReturn == NotAllocated && RangeCounters.SameOccupancy(afterReturn, after), $"ERROR {secondReturn}"));
            checks.Add(new StepCheck("after the returns every range's FREE and WIRED are as before", RangeCounters.SameOccupancy(before, after),
                string.Join(", ", names.Select((n, i) => $"{n} free {after[i].Free}"))));

            var totalBytes = blocks.Aggregate(0UL, (sum, b) => sum + b.Bytes);
            return new FrameBorrowingResult
            {
                Title = Title,
                Summary = $"{blocks.Count(b => b.Succeeded)} blocks, {totalBytes >> 10} KiB from {names.Length} ranges borrowed and returned; refusals {oversize.Error} and {secondReturn}",
                Checks = checks,
                Before = before,
                Borrowed = borrowed,
                After = after,
                Blocks = blocks,
                OversizeError = oversize.Error,
                SecondReturnError = secondReturn
            };
        }

        private static BorrowedBlock BorrowOne(FramePoolDriver driver, string range, string purpose, FrameRequest request)
        {
            var reply = driver.Borrow(request);
            return new BorrowedBlock(range, purpose, request, reply.Error, reply.Segments, 0);
        }

        private static long PagesFrom(List<BorrowedBlock> blocks, string range, uint pageSize)
        {
            return blocks.Where(b => b.Range == range && b.Succeeded).Sum(b => (long)(b.Bytes / pageSize));
        }

        // Null when the block's segments satisfy its request, else what is wrong.
        private static string Violation(BorrowedBlock block)
        {
            var r = block.Request;
            if(block.Segments.Length == 0 || block.Segments.Length > r.MaxSegments)
            {
                return $"{block.Range}: {block.Segments.Length} segments for a limit of {r.MaxSegments}";
            }
            if(block.Bytes < r.Size)
            {
                return $"{block.Range}: {block.Bytes} bytes for a request of {r.Size}";
            }
            if(r.Alignment != 0 && block.Segments[0].Address % r.Alignment != 0)
            {
                return $"{block.Range}: first segment {block.Segments[0]} is not aligned to 0x{r.Alignment:X}";
            }
            foreach(var s in block.Segments)
            {
                if(s.Address < r.Low || s.End > r.High)
                {
                    return $"{block.Range}: segment {s} is outside [0x{r.Low:X}, 0x{r.High:X})";
                }
                if(r.Boundary != 0 && s.Address / r.Boundary != (s.End - 1) / r.Boundary)
                {
                    return $"{block.Range}: segment {s} crosses a 0x{r.Boundary:X} boundary";
                }
                if(r.MaxSegmentSize != 0 && s.Length > r.MaxSegmentSize)
                {
                    return $"{block.Range}: segment {s} is longer than 0x{r.MaxSegmentSize:X}";
                }
            }
            return null;
        }

        private const int ResultCapacity = 4096;
        private const ulong ContiguousBytes = 64 << 10;
        private const uint ScatteredSegments = 32;
        private const ulong ScatteredSegmentBytes = 64 << 10;
        private const uint InsufficientMemory = 7;
        private const uint NotAllocated = 10;
    }
}
