using System;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli
{
    public static class Program
    {
        // Until the full demo lands: build the sample layout, borrow and return frames,
        // and print the per-range statistics before and after.
        public static int Main(string[] args)
        {
            var allocator = new FrameAllocator(SampleLayout.Ranges());
            Console.WriteLine("Sample layout, fresh:");
            Console.WriteLine(allocator.FormatStatistics());

            var dma24 = AllocationConstraints.Window(0, 16UL << 20);
            dma24.Alignment = 64 << 10;
            dma24.Boundary = 64 << 10;
            var small = allocator.Allocate(16 * 4096, dma24);
            var big = allocator.Allocate(64UL << 20, AllocationConstraints.Scattered);
            Console.WriteLine($"24-bit contiguous 64 KiB: {small}");
            Console.WriteLine($"64 MiB anywhere: {big.Segments.Length} segment(s), {big.Error}");
            Console.WriteLine();
            Console.WriteLine("After borrowing:");
            Console.WriteLine(allocator.FormatStatistics());

            var ok = small.Succeeded && big.Succeeded
                && allocator.Free(small.Segments).Succeeded && allocator.Free(big.Segments).Succeeded;
            Console.WriteLine("After returning:");
            Console.WriteLine(allocator.FormatStatistics());
            return ok ? 0 : 1;
        }
    }
}
