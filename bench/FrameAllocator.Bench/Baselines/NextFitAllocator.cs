using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench.Baselines
{
    // Baseline: the next-fit linear scan of NetBSD's uvm_pglistalloc(9) (sys/uvm/uvm_pglist.c),
    // written here from its published algorithm. One byte of state per frame; each bus range is a
    // physical segment with its own start hint (the rotor), which moves past the last allocation.
    //
    // Contiguous requests (the _contig path): candidate starts are aligned, a candidate that would
    // cross the boundary jumps to the boundary, and a candidate's frames are tested from the last
    // one down, so that a taken frame lets the scan jump past it; frames already seen free are not
    // tested again. The scan runs from the hint to the end of the segment, then wraps once.
    // Single frames (the _simple path): the first free frame from the hint on, wrapping once.
    //
    // One deliberate difference: NetBSD's wrapped pass ends where the hint is, so a free run that
    // straddles the hint is never found; here the wrapped pass also covers those starts, so that the
    // baseline fails only when no run exists (it is compared with allocators that always find one).
    public sealed class NextFitAllocator
    {
        public const ulong PageSize = BusRange.DefaultPageSize;
        public const int BytesPerFrame = sizeof(byte);

        // ranges: non-overlapping, page-aligned, 4 KiB pages. Searched from the highest range down,
        // as NetBSD searches its default free list before the constrained ones.
        public NextFitAllocator(IEnumerable<BusRange> ranges)
        {
            var sorted = ranges.OrderByDescending(r => r.Base).ToArray();
            if(sorted.Length == 0)
            {
                throw new ArgumentException("at least one range is needed", nameof(ranges));
            }
            segmentStart = new long[sorted.Length];
            segmentEnd = new long[sorted.Length];
            startHint = new long[sorted.Length];
            long lastFrame = 0;
            for(var i = 0; i < sorted.Length; i++)
            {
                var range = sorted[i];
                if(range.PageSize != PageSize || range.Base % PageSize != 0 || range.Size % PageSize != 0)
                {
                    throw new ArgumentException($"range {range} is not made of whole 4 KiB pages", nameof(ranges));
                }
                segmentStart[i] = (long)(range.Base / PageSize);
                segmentEnd[i] = segmentStart[i] + (long)(range.Size / PageSize);
                lastFrame = Math.Max(lastFrame, segmentEnd[i]);
                FreeFrames += segmentEnd[i] - segmentStart[i];
            }
            TotalFrames = FreeFrames;
            // Frames in holes between ranges stay Taken: no segment scan reaches them anyway.
            state = new byte[lastFrame];
            Array.Fill(state, StateTaken);
            for(var i = 0; i < sorted.Length; i++)
            {
                Array.Fill(state, StateFree, (int)segmentStart[i], (int)(segmentEnd[i] - segmentStart[i]));
            }
        }

        public long TotalFrames { get; }
        public long FreeFrames { get; private set; }

        // One free frame in [low, high). Returns false, changing nothing, when there is none.
        public bool TryAllocateFrame(ulong low, ulong high, out ulong address)
        {
            var lowFrame = (long)Math.Min(RoundUp(low, PageSize) / PageSize, long.MaxValue);
            var highFrame = (long)Math.Min(high / PageSize, long.MaxValue);
            for(var s = 0; s < segmentStart.Length; s++)
            {
                var frame = TryAllocateFrameInSegment(s, lowFrame, highFrame);
                if(frame >= 0)
                {
                    address = (ulong)frame * PageSize;
                    return true;
                }
            }
            address = 0;
            return false;
        }

        // pages physically contiguous frames in [low, high), the first aligned to alignment (a power
        // of two; below a page means a page), none crossing a multiple of boundary (0 = none).
        // Returns false, changing nothing, when no such run is free.
        public bool TryAllocateContiguous(long pages, ulong low, ulong high, ulong alignment, ulong boundary, out ulong address)
        {
            address = 0;
            if(pages <= 0)
            {
                return false;
            }
            if(alignment < PageSize)
            {
                alignment = PageSize;
            }
            if(boundary != 0 && boundary < (ulong)pages * PageSize)
            {
                return false;
            }
            var alignmentFrames = (long)(alignment / PageSize);
            var boundaryFrames = (long)(boundary / PageSize);
            var lowFrame = (long)Math.Min(RoundUp(low, alignment) / PageSize, long.MaxValue / 2);
            var highFrame = (long)Math.Min(high / PageSize, long.MaxValue / 2);
            for(var s = 0; s < segmentStart.Length; s++)
            {
                var first = TryAllocateContiguousInSegment(s, pages, lowFrame, highFrame, alignmentFrames, boundaryFrames);
                if(first >= 0)
                {
                    address = (ulong)first * PageSize;
                    return true;
                }
            }
            return false;
        }

        // Takes the given frame if it is free (to set up a state); false if it is not free.
        public bool TryTakeFrame(ulong address)
        {
            var frame = address / PageSize;
            if(frame >= (ulong)state.Length || state[frame] != StateFree)
            {
                return false;
            }
            state[frame] = StateTaken;
            FreeFrames--;
            return true;
        }

        // Returns pages frames from address on. False, changing nothing, if any of them is not taken
        // or lies outside every range.
        public bool Free(ulong address, long pages)
        {
            var first = address / PageSize;
            if(address % PageSize != 0 || pages <= 0 || first + (ulong)pages > (ulong)state.Length)
            {
                return false;
            }
            var span = state.AsSpan((int)first, (int)pages);
            if(span.IndexOfAnyExcept(StateTaken) >= 0 || !IsManaged((long)first, pages))
            {
                return false;
            }
            span.Fill(StateFree);
            FreeFrames += pages;
            return true;
        }

        public bool IsFree(ulong address)
        {
            var frame = address / PageSize;
            return frame < (ulong)state.Length && state[frame] == StateFree;
        }

        private long TryAllocateFrameInSegment(int s, long lowFrame, long highFrame)
        {
            var start = segmentStart[s];
            var end = segmentEnd[s];
            if(highFrame <= start || lowFrame >= end)
            {
                return -1;
            }
            var hint = startHint[s];
            var frame = Math.Max(lowFrame, start + hint);
            var limit = Math.Min(highFrame, end);
            // With the hint at the start, the first pass already covers the whole segment.
            var wrapped = hint == 0;
            while(true)
            {
                if(frame >= limit)
                {
                    if(wrapped)
                    {
                        return -1;
                    }
                    wrapped = true;
                    frame = Math.Max(lowFrame, start);
                    limit = Math.Min(limit, start + hint);
                    continue;
                }
                if(state[frame] == StateFree)
                {
                    state[frame] = StateTaken;
                    FreeFrames--;
                    startHint[s] = frame + 1 - start;
                    return frame;
                }
                frame++;
            }
        }

        private long TryAllocateContiguousInSegment(int s, long pages, long lowFrame, long highFrame, long alignmentFrames, long boundaryFrames)
        {
            var start = segmentStart[s];
            var end = segmentEnd[s];
            if(highFrame <= start || lowFrame >= end)
            {
                return -1;
            }
            var hint = startHint[s];
            var limit = Math.Min(highFrame, end);
            var candidate = RoundUp(Math.Max(lowFrame, start + hint), alignmentFrames);
            var wrapped = hint == 0;
            var boundaryMask = boundaryFrames == 0 ? 0 : ~(boundaryFrames - 1);
            // Frames at the candidate's start already seen free by the previous test (NetBSD's "skip").
            long knownFree = 0;
            while(true)
            {
                if(candidate + pages > limit)
                {
                    if(wrapped)
                    {
                        return -1;
                    }
                    wrapped = true;
                    candidate = RoundUp(Math.Max(lowFrame, start), alignmentFrames);
                    // Runs that start before the hint but end after it were not seen by the first pass.
                    limit = Math.Min(limit, start + hint + pages - 1);
                    knownFree = 0;
                    continue;
                }
                if(boundaryFrames != 0 && ((candidate ^ (candidate + pages - 1)) & boundaryMask) != 0)
                {
                    candidate = RoundUp((candidate + pages - 1) & boundaryMask, alignmentFrames);
                    knownFree = 0;
                    continue;
                }
                // Test from the last frame down: a taken frame near the end lets the scan jump furthest.
                var frame = candidate + pages - 1;
                var stop = candidate + knownFree;
                while(frame >= stop && state[frame] == StateFree)
                {
                    frame--;
                }
                if(frame < stop)
                {
                    break;
                }
                var advance = RoundUp(frame + 1 - candidate, alignmentFrames);
                knownFree = Math.Max(pages - advance, 0);
                candidate += advance;
            }
            state.AsSpan((int)candidate, (int)pages).Fill(StateTaken);
            FreeFrames -= pages;
            startHint[s] = candidate + pages - start;
            return candidate;
        }

        private bool IsManaged(long first, long pages)
        {
            for(var s = 0; s < segmentStart.Length; s++)
            {
                if(first >= segmentStart[s] && first + pages <= segmentEnd[s])
                {
                    return true;
                }
            }
            return false;
        }

        private static ulong RoundUp(ulong value, ulong multiple)
        {
            var rounded = (value + multiple - 1) & ~(multiple - 1);
            return rounded < value ? ulong.MaxValue & ~(multiple - 1) : rounded;
        }

        private static long RoundUp(long value, long multiple)
        {
            return (value + multiple - 1) & ~(multiple - 1);
        }

        private const byte StateFree = 0;
        private const byte StateTaken = 1;

        private readonly byte[] state;
        private readonly long[] segmentStart;
        private readonly long[] segmentEnd;
        private readonly long[] startHint;
    }
}
