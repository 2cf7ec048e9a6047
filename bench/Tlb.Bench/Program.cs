using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace RenodeFrameAlloc.Tlb.Bench
{
    // dotnet run -c Release --project bench/Tlb.Bench -- --smoke                  each setup once, checked, no timing
    // dotnet run -c Release --project bench/Tlb.Bench -- --filter '*' --job short  the benchmarks
    public static class Program
    {
        public static int Main(string[] args)
        {
            if(args.Contains("--smoke"))
            {
                return Smoke();
            }
            if(args.Length == 0)
            {
                // BenchmarkDotNet would otherwise ask interactively which benchmarks to run.
                args = new[] { "--filter", "*", "--job", "short" };
            }
            var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(TlbLookupBenchmarks), typeof(DmaThroughputBenchmarks) })
                .Run(args, DefaultConfig.Instance);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }

        // Runs every benchmark's setup (which checks the copied bytes) for the smallest and largest
        // size; exits non-zero on any failure. Seconds, for CI.
        private static int Smoke()
        {
            try
            {
                foreach(var entries in new[] { 64, 1024 })
                {
                    new TlbLookupBenchmarks { EntryCount = entries }.Setup();
                }
                foreach(var size in new[] { 4 << 10, 16 << 20 })
                {
                    new DmaThroughputBenchmarks { Size = size }.Setup();
                }
                Console.WriteLine("Tlb.Bench smoke: ok");
                return 0;
            }
            catch(Exception e)
            {
                Console.WriteLine($"Tlb.Bench smoke: FAILED: {e}");
                return 1;
            }
        }
    }
}
