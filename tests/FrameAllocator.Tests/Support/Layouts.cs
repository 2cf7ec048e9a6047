using System.Collections.Generic;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // Bus-range layouts shared by the allocator tests.
    public static class Layouts
    {
        public const ulong Page = BusRange.DefaultPageSize;
        public const ulong MiB = 1UL << 20;
        public const ulong GiB = 1UL << 30;

        // The example: isa [0, 16 MiB), dma32 [16 MiB, 4 GiB), high [4 GiB, 8 GiB).
        public static List<BusRange> Example()
        {
            return new List<BusRange>
            {
                new BusRange("isa", 0, 16 * MiB),
                new BusRange("dma32", 16 * MiB, 4 * GiB - 16 * MiB),
                new BusRange("high", 4 * GiB, 4 * GiB)
            };
        }

        // Three small ranges with holes, in frames: low [0, 64), mid [96, 224), high [256, 512).
        public static List<BusRange> Small()
        {
            return new List<BusRange>
            {
                new BusRange("low", 0, 64 * Page),
                new BusRange("mid", 96 * Page, 128 * Page),
                new BusRange("high", 256 * Page, 256 * Page)
            };
        }

        public static List<BusRange> Single(ulong pages, string name = "ram")
        {
            return new List<BusRange> { new BusRange(name, 0, pages * Page) };
        }
    }
}
