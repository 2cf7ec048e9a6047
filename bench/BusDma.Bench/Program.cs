using System;
using System.Diagnostics;
using BenchmarkDotNet.Running;

namespace RenodeFrameAlloc.BusDma.Bench
{
    public static class Program
    {
        // `--smoke`: runs every benchmark body a few times, checks what it did, exits 0 (CI start check).
        // Anything else goes to BenchmarkDotNet (e.g. `--filter '*' --job short`).
        public static int Main(string[] args)
        {
            if(args.Length == 1 && args[0] == "--smoke")
            {
                return Smoke();
            }
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        private static int Smoke()
        {
            var watch = Stopwatch.StartNew();
            var b = new BusDmaBenchmarks();
            b.Setup();
            var bodies = new (string Name, Func<bool> Body)[]
            {
                (nameof(b.PlainCopyOfTheSameBytes), b.PlainCopyOfTheSameBytes),
                (nameof(b.BouncedFlow), b.BouncedFlow),
                (nameof(b.DirectFlow), b.DirectFlow),
                (nameof(b.DirectFlowChecked), b.DirectFlowChecked),
                (nameof(b.DirectFlowWithDeviceReads), b.DirectFlowWithDeviceReads),
                (nameof(b.DirectFlowWithDeviceReadsChecked), b.DirectFlowWithDeviceReadsChecked)
            };
            foreach(var (name, body) in bodies)
            {
                for(var i = 0; i < 5; i++)
                {
                    if(!body())
                    {
                        Console.Error.WriteLine($"smoke: {name} failed");
                        return 1;
                    }
                }
                Console.WriteLine($"smoke: {name} ok");
            }
            var plain = b.Plain.Layer.GetStatistics();
            var checkedStats = b.Checked.Layer.GetStatistics();
            // Each bounced flow copies the buffer in at PREWRITE and out at POSTREAD; the direct ones copy nothing.
            var expectedCopies = 6L * 2 * BusDmaBenchmarks.BufferSize;
            if(plain.BytesCopied != expectedCopies || plain.BouncedLoads != 6 || checkedStats.BouncedLoads != 1)
            {
                Console.Error.WriteLine($"smoke: unexpected counters: plain {plain}; checked {checkedStats}");
                return 1;
            }
            if(checkedStats.Findings != 0)
            {
                Console.Error.WriteLine($"smoke: the checked flows made {checkedStats.Findings} findings: {string.Join("; ", b.Checked.Layer.Checker.Findings)}");
                return 1;
            }
            Console.WriteLine($"smoke: all benchmark bodies ran in {watch.ElapsedMilliseconds} ms");
            return 0;
        }
    }
}
