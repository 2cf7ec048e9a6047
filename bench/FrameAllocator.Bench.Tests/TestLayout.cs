using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench.Tests
{
    // A small layout with what matters to the baselines: adjacent ranges, a hole, ranges that do
    // not start at a large power of two.
    public static class TestLayout
    {
        public const ulong PageSize = BusRange.DefaultPageSize;
        public const int Frames = 256;

        public static BusRange[] Ranges()
        {
            return new[]
            {
                new BusRange("low", 0, 64 << 10),
                new BusRange("mid", 64 << 10, 448 << 10),
                // [512 KiB, 576 KiB) is a hole.
                new BusRange("top", 576 << 10, 448 << 10)
            };
        }
    }
}
