using System;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench
{
    // The memory the benchmarks run on: isa [0, 16 MiB) and dma32 [16 MiB, 4 GiB) always, plus
    // high [4 GiB, end) when there is more than 4 GiB, all in 4 KiB frames.
    public static class BenchmarkLayout
    {
        public const ulong PageSize = BusRange.DefaultPageSize;
        public const int FourGiBFrames = 1 << 20;
        public const int SixtyFourGiBFrames = 1 << 24;
        public const ulong FourGiB = 1UL << 32;

        public static BusRange[] Ranges(int frameCount)
        {
            if(frameCount < FourGiBFrames)
            {
                throw new ArgumentOutOfRangeException(nameof(frameCount), "the layout needs at least 4 GiB");
            }
            var isa = new BusRange("isa", 0, 16UL << 20);
            var dma32 = new BusRange("dma32", 16UL << 20, FourGiB - (16UL << 20));
            if(frameCount == FourGiBFrames)
            {
                return new[] { isa, dma32 };
            }
            return new[] { isa, dma32, new BusRange("high", FourGiB, (ulong)frameCount * PageSize - FourGiB) };
        }

        public static string Describe(int frameCount)
        {
            return $"{frameCount / (1 << 20)} Mi frames ({(ulong)frameCount * PageSize >> 30} GiB)";
        }
    }
}
