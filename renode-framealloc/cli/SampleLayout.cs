using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli
{
    // The layout of the README, the tests and the demo board.
    public static class SampleLayout
    {
        public static BusRange[] Ranges()
        {
            return new[]
            {
                new BusRange("isa", 0, 16UL << 20),
                new BusRange("dma32", 16UL << 20, (4UL << 30) - (16UL << 20)),
                new BusRange("high", 4UL << 30, 4UL << 30)
            };
        }
    }
}
