using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Board
{
    // The bus ranges of the demo board: the README's layout, as the tests and the platform use it,
    // and a smaller one of the same shape for quick runs of the long steps.
    public static class DemoLayout
    {
        // isa [0, 16 MiB) for 24-bit engines, dma32 [16 MiB, 4 GiB), high [4 GiB, 8 GiB).
        public static BusRange[] Sample()
        {
            return new[]
            {
                new BusRange("isa", 0, 16UL << 20),
                new BusRange("dma32", 16UL << 20, (4UL << 30) - (16UL << 20)),
                new BusRange("high", 4UL << 30, 4UL << 30)
            };
        }

        // The same three windows, each a few MiB: isa [0, 4 MiB), dma32 [16 MiB, 28 MiB),
        // high [4 GiB, 4 GiB + 16 MiB); 8192 pages in all.
        public static BusRange[] Small()
        {
            return new[]
            {
                new BusRange("isa", 0, 4UL << 20),
                new BusRange("dma32", 16UL << 20, 12UL << 20),
                new BusRange("high", 4UL << 30, 16UL << 20)
            };
        }

        // RAM the drivers own (a kernel's data, outside every allocator range): result areas,
        // the test buffers' bookkeeping. Placed above the highest range of either layout.
        public const ulong DriverMemoryBase = 0x3_0000_0000;
        public const ulong DriverMemorySize = 1UL << 20;

        // Register blocks, above all RAM as on a board whose MMIO sits apart from memory.
        public const ulong FramePoolBase = 0x10_0000_0000;
        public const ulong Dma24Base = 0x10_0001_0000;
        public const ulong Dma32Base = 0x10_0002_0000;
        public const ulong TlbBase = 0x10_0003_0000;
    }
}
