using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace RenodeFrameAlloc.Bench
{
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --smoke [--full]  quick check, no measurement
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --memory          bytes per frame table
    // dotnet run -c Release --project bench/FrameAllocator.Bench -- --filter '*' --job short   the benchmarks
    public static class Program
    {
        public static int Main(string[] args)
        {
            if(args.Contains("--smoke"))
            {
                return SmokeRun.Run(Console.Out, args.Contains("--full"));
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
            var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(FrameAllocatorBenchmarks) }).Run(args, config);
            var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            return failed ? 1 : 0;
        }
    }
}
