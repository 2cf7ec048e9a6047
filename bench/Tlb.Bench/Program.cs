using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace RenodeFrameAlloc.Tlb.Bench
{
    // dotnet run -c Release --project bench/Tlb.Bench -- --smoke                  setups and checks only, seconds
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
            var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(TlbLookupBenchmarks) }).Run(args, DefaultConfig.Instance);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }

        // Runs every setup, which checks the TLB against the page table; non-zero on failure.
        private static int Smoke()
        {
            try
            {
                foreach(var entries in new[] { 64, 1024 })
                {
                    var benchmark = new TlbLookupBenchmarks { EntryCount = entries };
                    benchmark.Setup();
                    benchmark.TlbHit();
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
