using System;

namespace RenodeFrameAlloc.Bench
{
    // The frame allocator's benchmark bodies as one side of a paired comparison runs them: each
    // through its own benchmark setup (with its checks), then called directly in a loop, as many
    // times as asked. Runs inside a SubjectLoadContext, so "the allocator" is that side's build.
    public static class PairedSubject
    {
        public static readonly string[] Benchmarks = { "SingleFrame", "SingleFrameSpan", "SingleFrameBatch", "Contiguous16" };

        // Operations per call of the body, as the benchmark's OperationsPerInvoke: the batch's 64
        // frames, otherwise one (a frame, or Contiguous16's block).
        public static int OperationsPerInvoke(string benchmark)
        {
            return benchmark == "SingleFrameBatch" ? FrameAllocatorBenchmarks.BatchFrames : 1;
        }

        // A fresh allocator of frameCount frames set up for the benchmark, and a runner: run(n) calls
        // the body n times and returns a digest of the addresses the calls returned. Two builds that
        // behave the same give the same digests for the same sequence of runs.
        public static Func<int, ulong> Create(string benchmark, int frameCount)
        {
            var bench = new FrameAllocatorBenchmarks { FrameCount = frameCount };
            switch(benchmark)
            {
            case "SingleFrame":
                bench.SetUpFrameAllocatorSingleFrame();
                return n =>
                {
                    var digest = 0UL;
                    for(var i = 0; i < n; i++)
                    {
                        digest = Fold(digest, bench.FrameAllocatorSingleFrame());
                    }
                    return digest;
                };
            case "SingleFrameSpan":
                bench.SetUpFrameAllocatorSingleFrame();
                return n =>
                {
                    var digest = 0UL;
                    for(var i = 0; i < n; i++)
                    {
                        digest = Fold(digest, bench.FrameAllocatorSingleFrameSpan());
                    }
                    return digest;
                };
            case "SingleFrameBatch":
                bench.SetUpFrameAllocatorSingleFrame();
                return n =>
                {
                    var digest = 0UL;
                    for(var i = 0; i < n; i++)
                    {
                        digest = Fold(digest, bench.FrameAllocatorSingleFrameBatch());
                    }
                    return digest;
                };
            case "Contiguous16":
                bench.SetUpFrameAllocatorContiguous16();
                return n =>
                {
                    var digest = 0UL;
                    for(var i = 0; i < n; i++)
                    {
                        digest = Fold(digest, bench.FrameAllocatorContiguous16());
                    }
                    return digest;
                };
            default:
                throw new ArgumentException($"no paired benchmark '{benchmark}' (known: {string.Join(", ", Benchmarks)})", nameof(benchmark));
            }
        }

        private static ulong Fold(ulong digest, ulong address)
        {
            return (digest << 7 | digest >> 57) ^ address;
        }
    }
}
