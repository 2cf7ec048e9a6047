using System;
using System.Collections.Concurrent;
using System.IO;
using RenodeFrameAlloc.Bench.Baselines;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench
{
    // Issue 2's memory target: the allocator's per-frame metadata when no page is queued, at most
    // one byte per frame. The frame allocator reports what it holds (PerFrameOverheadBytes); the
    // baselines' figures follow from their layout (one state byte; one BuddyFrame record).
    public static class MemoryFootprint
    {
        public const double TargetBytesPerFrame = 1.0;

        public static double FrameAllocatorBytesPerFrame(int frameCount)
        {
            return fresh.GetOrAdd(frameCount, count => BytesPerFrame(new FrameAllocator(BenchmarkLayout.Ranges(count))));
        }

        public static double BytesPerFrame(FrameAllocator allocator)
        {
            return (double)allocator.PerFrameOverheadBytes / allocator.TotalPages;
        }

        // Bytes per frame of the allocator a benchmark method measures, named by its prefix.
        public static double? ForBenchmark(string methodName, int frameCount)
        {
            if(methodName.StartsWith("FrameAllocator", StringComparison.Ordinal))
            {
                return FrameAllocatorBytesPerFrame(frameCount);
            }
            if(methodName.StartsWith("Buddy", StringComparison.Ordinal))
            {
                return BuddyAllocator.BytesPerFrame;
            }
            if(methodName.StartsWith("NextFit", StringComparison.Ordinal))
            {
                return NextFitAllocator.BytesPerFrame;
            }
            return null;
        }

        // The table of bench/README.md: fresh, and with half of all frames wired at random (wired
        // frames are not queued pages, so the figure should not grow).
        public static void Print(TextWriter output)
        {
            output.WriteLine("| frames | FrameAllocator fresh | FrameAllocator half wired | FrameAllocator constructor heap | buddy (BuddyFrame) | next-fit (state byte) |");
            output.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach(var frameCount in new[] { BenchmarkLayout.FourGiBFrames, BenchmarkLayout.SixtyFourGiBFrames })
            {
                // An independent reading of the reported figure: all the heap the constructor takes.
                var before = GC.GetAllocatedBytesForCurrentThread();
                var allocator = new FrameAllocator(BenchmarkLayout.Ranges(frameCount));
                var heapBytes = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / frameCount;
                var freshBytes = BytesPerFrame(allocator);
                new HalfTakenMemory(frameCount).ApplyTo(allocator);
                var wiredBytes = BytesPerFrame(allocator);
                output.WriteLine($"| {BenchmarkLayout.Describe(frameCount)} | {freshBytes:0.###} B/frame | {wiredBytes:0.###} B/frame | {heapBytes:0.###} B/frame "
                    + $"| {BuddyAllocator.BytesPerFrame} B/frame | {NextFitAllocator.BytesPerFrame} B/frame |");
            }
            output.WriteLine($"target: at most {TargetBytesPerFrame} byte per frame with no page queued (FrameAllocator.PerFrameOverheadBytes / TotalPages)");
        }

        private static readonly ConcurrentDictionary<int, double> fresh = new ConcurrentDictionary<int, double>();
    }
}
