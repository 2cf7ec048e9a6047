using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench
{
    // `--smoke`: every benchmark through its real setup (with its checks) and a few hundred calls of
    // its body, each result checked; no measurement. Exit code 0 when all ran and every result was
    // valid. Meant for CI, so it must finish well under 30 s on a busy 2-core machine: it runs every
    // benchmark at 4 GiB and the single-frame ones at 64 GiB, but not the contiguous ones at 64 GiB,
    // whose setups wire 8 Mi frames one by one in each allocator (about 10 s each here);
    // `--smoke --full` runs those too.
    public static class SmokeRun
    {
        public const int SingleFrameCalls = 1000;
        public const int ContiguousCalls = 200;

        public static int Run(TextWriter output, bool full)
        {
            var total = Stopwatch.StartNew();
            var failures = 0;
            foreach(var frameCount in new[] { BenchmarkLayout.FourGiBFrames, BenchmarkLayout.SixtyFourGiBFrames })
            {
                foreach(var method in typeof(FrameAllocatorBenchmarks).GetMethods())
                {
                    var benchmark = method.GetCustomAttribute<BenchmarkAttribute>();
                    if(benchmark == null || (!full && frameCount > BenchmarkLayout.FourGiBFrames && IsContiguous(method)))
                    {
                        continue;
                    }
                    try
                    {
                        RunOne(output, method, frameCount);
                    }
                    catch(Exception e)
                    {
                        failures++;
                        var cause = e is TargetInvocationException { InnerException: not null } ? e.InnerException : e;
                        output.WriteLine($"FAIL {method.Name} at {BenchmarkLayout.Describe(frameCount)}: {cause.Message}");
                    }
                }
            }
            failures += RunPairedComparison(output);
            output.WriteLine($"smoke: {(failures == 0 ? "all benchmarks ran, every result valid" : $"{failures} benchmark(s) failed")} in {total.Elapsed.TotalSeconds:0.0} s");
            return failures == 0 ? 0 : 1;
        }

        private static void RunOne(TextWriter output, MethodInfo method, int frameCount)
        {
            var bench = new FrameAllocatorBenchmarks { FrameCount = frameCount };
            var setup = Stopwatch.StartNew();
            FindSetup(method).Invoke(bench, null);
            setup.Stop();
            var contiguous = IsContiguous(method);
            var freeBefore = bench.FreeFramesNow();
            var calls = contiguous ? ContiguousCalls : SingleFrameCalls;
            var body = (Func<ulong>)method.CreateDelegate(typeof(Func<ulong>), bench);
            var run = Stopwatch.StartNew();
            for(var i = 0; i < calls; i++)
            {
                var address = body();
                if(contiguous)
                {
                    if(address % HalfTakenMemory.BlockBytes != 0 || address + HalfTakenMemory.BlockBytes > BenchmarkLayout.FourGiB || !bench.State.IsFreeBlock(address))
                    {
                        throw new InvalidOperationException($"call {i} returned block 0x{address:X}: misaligned, outside [0, 4 GiB) or not free");
                    }
                }
                else if(address % BenchmarkLayout.PageSize != 0 || address >= (ulong)frameCount * BenchmarkLayout.PageSize)
                {
                    throw new InvalidOperationException($"call {i} returned frame 0x{address:X}: misaligned or outside memory");
                }
            }
            run.Stop();
            var freeAfter = bench.FreeFramesNow();
            if(freeAfter != freeBefore)
            {
                throw new InvalidOperationException($"{freeBefore} free frames before the calls, {freeAfter} after");
            }
            output.WriteLine($"ok   {method.Name,-31} {BenchmarkLayout.Describe(frameCount),-26} setup {setup.Elapsed.TotalSeconds,5:0.0} s, "
                + $"{calls} calls, ~{run.Elapsed.TotalMilliseconds * 1e6 / calls:0} ns/call (not a measurement)");
            if(contiguous && method.Name.StartsWith("NextFit", StringComparison.Ordinal))
            {
                output.WriteLine($"     {bench.State}");
            }
            bench.CleanUp();
        }

        // The paired comparison (--compare-with) of this tree's allocator against itself, a few short
        // pairs: both sides load, run every paired body and give the same addresses.
        private static int RunPairedComparison(TextWriter output)
        {
            var options = new PairedComparison.Options
            {
                BaselineFolder = AppContext.BaseDirectory,
                Pairs = 5,
                BlockMicroseconds = 100,
                WarmupSeconds = 0,
                FrameCounts = new[] { BenchmarkLayout.FourGiBFrames }
            };
            var log = new StringWriter();
            var status = PairedComparison.Run(log, options);
            var rows = log.ToString().Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| benchmark", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal));
            if(status != 0 || rows != options.Benchmarks.Length || log.ToString().Contains("FAILED"))
            {
                output.WriteLine($"FAIL paired comparison of this build with itself (exit {status}, {rows} rows):");
                output.Write(log.ToString());
                return 1;
            }
            output.WriteLine($"ok   paired comparison of this build with itself, {rows} benchmarks at 4 GiB (not a measurement)");
            return 0;
        }

        private static bool IsContiguous(MethodInfo benchmark)
        {
            return benchmark.GetCustomAttribute<BenchmarkCategoryAttribute>().Categories.Contains(FrameAllocatorBenchmarks.Contiguous16);
        }

        private static MethodInfo FindSetup(MethodInfo benchmark)
        {
            foreach(var candidate in typeof(FrameAllocatorBenchmarks).GetMethods())
            {
                var setup = candidate.GetCustomAttribute<GlobalSetupAttribute>();
                if(setup != null && setup.Targets.Contains(benchmark.Name))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException($"no [GlobalSetup] targets {benchmark.Name}");
        }
    }
}
