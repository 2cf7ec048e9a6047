using System;
using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench.Tests
{
    // Brute-force model of physical memory: one flag per frame, answers by trying every start.
    public sealed class FrameOracle
    {
        public FrameOracle(IReadOnlyList<BusRange> ranges, int frames)
        {
            rangeOf = new int[frames];
            free = new bool[frames];
            Array.Fill(rangeOf, Hole);
            for(var r = 0; r < ranges.Count; r++)
            {
                for(var f = (int)(ranges[r].Base / PageSize); f < (int)(ranges[r].End / PageSize); f++)
                {
                    rangeOf[f] = r;
                    free[f] = true;
                    FreeFrames++;
                }
            }
        }

        public long FreeFrames { get; private set; }

        public bool IsFree(long frame)
        {
            return frame >= 0 && frame < free.Length && free[frame];
        }

        // Whether pages free frames exist inside one range, starting at a multiple of alignment
        // frames, within [lowFrame, highFrame), not crossing a multiple of boundary frames (0 = none).
        public bool HasRun(long pages, long lowFrame, long highFrame, long alignment, long boundary)
        {
            for(long first = 0; first + pages <= free.Length; first += alignment)
            {
                if(IsValidRun(first, pages, lowFrame, highFrame, alignment, boundary))
                {
                    return true;
                }
            }
            return false;
        }

        public bool IsValidRun(long first, long pages, long lowFrame, long highFrame, long alignment, long boundary)
        {
            if(first < lowFrame || first + pages > highFrame || first % alignment != 0 || first + pages > free.Length)
            {
                return false;
            }
            if(boundary != 0 && first / boundary != (first + pages - 1) / boundary)
            {
                return false;
            }
            for(var f = first; f < first + pages; f++)
            {
                if(!free[f] || rangeOf[f] != rangeOf[first])
                {
                    return false;
                }
            }
            return true;
        }

        public int RangeOf(long frame)
        {
            return rangeOf[frame];
        }

        public void Take(long first, long pages)
        {
            for(var f = first; f < first + pages; f++)
            {
                if(!free[f])
                {
                    Assert.Fail($"frame {f} handed out while not free");
                }
                free[f] = false;
            }
            FreeFrames -= pages;
        }

        public void Release(long first, long pages)
        {
            for(var f = first; f < first + pages; f++)
            {
                if(free[f])
                {
                    Assert.Fail($"frame {f} returned while free");
                }
                free[f] = true;
            }
            FreeFrames += pages;
        }

        private const ulong PageSize = BusRange.DefaultPageSize;
        private const int Hole = -1;

        private readonly int[] rangeOf;
        private readonly bool[] free;
    }
}
