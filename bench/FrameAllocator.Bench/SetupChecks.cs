using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Bench
{
    // What every benchmark setup verifies before anything is measured: the allocator under test hands
    // out valid, distinct frames and, in the half-taken state, exactly the free blocks that exist.
    // A failed check throws, which makes BenchmarkDotNet report the benchmark as failed.
    public static class SetupChecks
    {
        public const int SingleFrameProbe = 4096;

        // Takes SingleFrameProbe frames: each page aligned, inside the layout, none twice; then
        // gives them all back.
        public static void SingleFrames(int frameCount, Func<ulong> allocate, Action<ulong> free)
        {
            var limit = (ulong)frameCount * BenchmarkLayout.PageSize;
            var seen = new HashSet<ulong>();
            for(var i = 0; i < SingleFrameProbe; i++)
            {
                var address = allocate();
                if(address % BenchmarkLayout.PageSize != 0 || address >= limit || !seen.Add(address))
                {
                    throw new InvalidOperationException($"single frame 0x{address:X} is misaligned, outside memory or handed out twice");
                }
            }
            foreach(var address in seen)
            {
                free(address);
            }
        }

        public static void FreeFrames(HalfTakenMemory state, string allocator, long actual)
        {
            if(actual != state.FreeFrames)
            {
                throw new InvalidOperationException($"{allocator}: {actual} free frames after setup, expected {state.FreeFrames}");
            }
        }

        // Takes blocks until the allocator finds no more: each must be 64 KiB aligned, inside
        // [0, 4 GiB), free in the state and distinct, and there must be exactly as many as the state
        // holds. Gives them all back, then checks one allocation succeeds again.
        public static void EveryFreeBlockFound(HalfTakenMemory state, string allocator, Func<ulong?> tryAllocate, Action<ulong> free)
        {
            var found = new HashSet<ulong>();
            for(var address = tryAllocate(); address.HasValue; address = tryAllocate())
            {
                var a = address.Value;
                if(a % HalfTakenMemory.BlockBytes != 0 || a + HalfTakenMemory.BlockBytes > BenchmarkLayout.FourGiB
                    || !state.IsFreeBlock(a) || !found.Add(a))
                {
                    throw new InvalidOperationException($"{allocator}: block 0x{a:X} is misaligned, outside the window, not free or handed out twice");
                }
                if(found.Count > state.FreeBlocksInWindow)
                {
                    break;
                }
            }
            if(found.Count != state.FreeBlocksInWindow)
            {
                throw new InvalidOperationException($"{allocator}: found {found.Count} free aligned blocks, the state has {state.FreeBlocksInWindow}");
            }
            foreach(var a in found)
            {
                free(a);
            }
            var again = tryAllocate() ?? throw new InvalidOperationException($"{allocator}: no block after giving them back");
            free(again);
        }
    }
}
