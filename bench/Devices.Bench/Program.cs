using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RenodeFrameAlloc.Devices.Bench
{
    public static class Program
    {
        // `--smoke`: every benchmark once, in process, to check they start and verify (< 30 s).
        // Anything else goes to BenchmarkDotNet, e.g. `--filter '*' --job short`.
        public static int Main(string[] args)
        {
            if(args.Contains("--smoke"))
            {
                var config = ManualConfig.CreateEmpty()
                    .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
                    .AddLogger(DefaultConfig.Instance.GetLoggers().ToArray())
                    .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("smoke"));
                var summaries = BenchmarkRunner.Run(typeof(Program).Assembly, config);
                var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
                Console.WriteLine(failed ? "smoke: FAILED" : "smoke: ok");
                return failed ? 1 : 0;
            }
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
