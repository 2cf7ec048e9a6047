using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Bench.Baselines;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench
{
    // The starting state of the contiguous benchmark, the same in every allocator: single frames
    // taken at random (fixed seed) until half of all frames are taken, then a few aligned 16-frame
    // blocks in the window given back whole.
    //
    // Why the given-back blocks: a block survives half random occupancy with probability 2^-16, so
    // the 65,536 aligned blocks of [0, 4 GiB) keep about one fully free block between them, and
    // sometimes none; the benchmark must measure successful allocations. ReleasedBlocks blocks,
    // evenly spaced through the window (128 MiB + i * 256 MiB), are freed in all three allocators;
    // NaturalFreeBlocks counts the ones that survived on their own.
    public sealed class HalfTakenMemory
    {
        public const int Seed = 0x5EED;
        public const int BlockFrames = 16;
        public const int ReleasedBlocks = 16;
        public const ulong BlockBytes = BlockFrames * BenchmarkLayout.PageSize;

        public HalfTakenMemory(int frameCount)
        {
            FrameCount = frameCount;
            taken = new bool[frameCount];
            takeOrder = new int[frameCount / 2];
            var random = new Random(Seed);
            for(var count = 0; count < takeOrder.Length;)
            {
                var frame = random.Next(frameCount);
                if(!taken[frame])
                {
                    taken[frame] = true;
                    takeOrder[count++] = frame;
                }
            }
            NaturalFreeBlocks = CountFreeBlocksInWindow();
            var released = new List<int>();
            for(var i = 0; i < ReleasedBlocks; i++)
            {
                var first = WindowFrames / ReleasedBlocks / 2 + i * (WindowFrames / ReleasedBlocks);
                for(var frame = first; frame < first + BlockFrames; frame++)
                {
                    if(taken[frame])
                    {
                        taken[frame] = false;
                        released.Add(frame);
                    }
                }
            }
            releasedFrames = released.ToArray();
            FreeBlocksInWindow = CountFreeBlocksInWindow();
            TakenFrames = takeOrder.Length - releasedFrames.Length;
        }

        public int FrameCount { get; }
        public long TakenFrames { get; }
        public long FreeFrames => FrameCount - TakenFrames;
        // Aligned 16-frame blocks of [0, 4 GiB) free before and after the blocks were given back.
        public int NaturalFreeBlocks { get; }
        public int FreeBlocksInWindow { get; }

        public bool IsTaken(ulong address)
        {
            return taken[address / BenchmarkLayout.PageSize];
        }

        // True if the 16 frames at address are all free in this state.
        public bool IsFreeBlock(ulong address)
        {
            var first = (int)(address / BenchmarkLayout.PageSize);
            return Array.IndexOf(taken, true, first, BlockFrames) < 0;
        }

        // Each frame is taken as its own allocation, with a window of exactly that frame.
        public void ApplyTo(FrameAllocator allocator)
        {
            Span<Segment> one = stackalloc Segment[1];
            foreach(var frame in takeOrder)
            {
                var address = (ulong)frame * BenchmarkLayout.PageSize;
                var window = AllocationConstraints.Window(address, address + BenchmarkLayout.PageSize);
                var error = allocator.TryAllocate(BenchmarkLayout.PageSize, in window, one, out var count);
                if(error != AllocationError.None || count != 1 || one[0] != new Segment(address, BenchmarkLayout.PageSize))
                {
                    throw new InvalidOperationException($"FrameAllocator did not hand out frame 0x{address:X}: {error} {allocator.LastFailureMessage}");
                }
            }
            foreach(var frame in releasedFrames)
            {
                one[0] = new Segment((ulong)frame * BenchmarkLayout.PageSize, BenchmarkLayout.PageSize);
                var error = allocator.Free(one);
                if(error != AllocationError.None)
                {
                    throw new InvalidOperationException($"FrameAllocator did not take back frame {one[0]}: {error}");
                }
            }
        }

        public void ApplyTo(NextFitAllocator allocator)
        {
            foreach(var frame in takeOrder)
            {
                if(!allocator.TryTakeFrame((ulong)frame * BenchmarkLayout.PageSize))
                {
                    throw new InvalidOperationException($"next-fit did not hand out frame {frame}");
                }
            }
            foreach(var frame in releasedFrames)
            {
                if(!allocator.Free((ulong)frame * BenchmarkLayout.PageSize, 1))
                {
                    throw new InvalidOperationException($"next-fit did not take back frame {frame}");
                }
            }
        }

        public void ApplyTo(BuddyAllocator allocator)
        {
            foreach(var frame in takeOrder)
            {
                if(!allocator.TryTakeFrame((ulong)frame * BenchmarkLayout.PageSize))
                {
                    throw new InvalidOperationException($"buddy did not hand out frame {frame}");
                }
            }
            foreach(var frame in releasedFrames)
            {
                allocator.FreePages((ulong)frame * BenchmarkLayout.PageSize, 0);
            }
        }

        public override string ToString()
        {
            return $"{BenchmarkLayout.Describe(FrameCount)}: {TakenFrames} frames taken at random (seed 0x{Seed:X}); "
                + $"aligned 16-frame blocks free in [0, 4 GiB): {NaturalFreeBlocks} by chance, {FreeBlocksInWindow} "
                + $"after giving back {ReleasedBlocks} ({releasedFrames.Length} frames)";
        }

        private int CountFreeBlocksInWindow()
        {
            var count = 0;
            for(var first = 0; first < WindowFrames; first += BlockFrames)
            {
                if(Array.IndexOf(taken, true, first, BlockFrames) < 0)
                {
                    count++;
                }
            }
            return count;
        }

        private const int WindowFrames = BenchmarkLayout.FourGiBFrames;

        private readonly bool[] taken;
        private readonly int[] takeOrder;
        private readonly int[] releasedFrames;
    }
}
