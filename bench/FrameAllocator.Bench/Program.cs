using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RenodeFrameAlloc.Bench
{
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --smoke [--full]  quick check, no measurement
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --memory          bytes per frame table
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --filter '*' --job short   the benchmarks
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --filter '*' --cpu-clock   the same, timed by
    //     the benchmark thread's CPU time (short job, in process), for a machine busy with other work
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --compare-with FOLDER   this tree's allocator
    //     against another build of it, paired in one process (bench/README.md, "Comparing two builds")
    public static class Program
    {
        public static int Main(string[] args)
        {
            if(args.Contains("--smoke"))
            {
                return SmokeRun.Run(Console.Out, args.Contains("--full"));
            }
            if(args.Contains("--compare-with"))
            {
                var options = PairedComparison.Parse(args, Console.Error);
                return options == null ? 2 : PairedComparison.Run(Console.Out, options);
            }
            if(args.Contains("--memory"))
            {
                MemoryFootprint.Print(Console.Out);
                return 0;
            }
            if(args.Length == 0)
            {
                // BenchmarkDotNet would ask interactively which benchmarks to run.
                args = new[] { "--filter", "*", "--job", "short" };
            }
            var config = DefaultConfig.Instance
                .AddColumn(StatisticColumn.Median, new ScalingColumn(), new BytesPerFrameColumn());
            if(args.Contains(CpuClockOption))
            {
                // A custom clock cannot be handed to a separate benchmark process, hence in process.
                config = config.AddJob(Job.ShortRun.WithClock(new ThreadCpuClock()).WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-CpuClock"));
                args = args.Where(a => a != CpuClockOption).ToArray();
            }
            var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(FrameAllocatorBenchmarks) }).Run(args, config);
            var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            return failed ? 1 : 0;
        }

        private const string CpuClockOption = "--cpu-clock";
    }
}
