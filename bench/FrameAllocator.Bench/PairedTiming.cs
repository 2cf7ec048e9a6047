using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace RenodeFrameAlloc.Bench
{
    // The timing both paired comparisons share (this bench's --compare-with and bench/PairedBench):
    // two sides that run the same work, calibrated to blocks of about a given length on the
    // candidate, warmed up (so both end in the JIT's final tier) and timed in pairs of back-to-back
    // blocks, the order alternating. Each block's digest must be the same on both sides. And the
    // child processes of a run over several processes.
    public readonly struct PairedTiming
    {
        public PairedTiming(double baselineNanoseconds, double candidateNanoseconds, PairedRatio ratio)
        {
            BaselineNanoseconds = baselineNanoseconds;
            CandidateNanoseconds = candidateNanoseconds;
            Ratio = ratio;
        }

        // Medians over the pairs, per operation.
        public double BaselineNanoseconds { get; }
        public double CandidateNanoseconds { get; }
        // Candidate over baseline, the median of the pairs' ratios.
        public PairedRatio Ratio { get; }

        // run(n) does n calls of the side's work and returns a digest of their results;
        // operationsPerCall scales the times to one operation. Throws InvalidOperationException when
        // the two sides' digests differ in any block (their behaviour differs).
        public static PairedTiming Measure(Func<int, ulong> runBaseline, Func<int, ulong> runCandidate, int operationsPerCall,
                                           int pairs, double blockMicroseconds, double warmupSeconds)
        {
            void Both(int calls, bool baselineFirst, out long baselineTicks, out long candidateTicks)
            {
                ulong baselineDigest, candidateDigest;
                if(baselineFirst)
                {
                    baselineTicks = Time(runBaseline, calls, out baselineDigest);
                    candidateTicks = Time(runCandidate, calls, out candidateDigest);
                }
                else
                {
                    candidateTicks = Time(runCandidate, calls, out candidateDigest);
                    baselineTicks = Time(runBaseline, calls, out baselineDigest);
                }
                if(baselineDigest != candidateDigest)
                {
                    throw new InvalidOperationException($"the two builds returned different results (digest 0x{baselineDigest:X16} against 0x{candidateDigest:X16}): their behaviour differs");
                }
            }

            // Calibration: the block grows until it takes about the block length.
            var calls = 1;
            var target = blockMicroseconds * 1e-6 * Stopwatch.Frequency;
            while(true)
            {
                Both(calls, true, out _, out var ticks);
                if(ticks >= target / 2 || calls >= 1 << 24)
                {
                    calls = Math.Max(1, (int)Math.Round(calls * target / Math.Max(1, ticks)));
                    break;
                }
                calls *= 2;
            }
            var warmup = Stopwatch.StartNew();
            while(warmup.Elapsed.TotalSeconds < warmupSeconds)
            {
                Both(calls, true, out _, out _);
                // Lets the JIT's background thread install the optimized code it has compiled.
                Thread.Sleep(1);
            }
            var nanosecondsPerOperation = 1e9 / Stopwatch.Frequency / ((double)calls * operationsPerCall);
            var baselineTimes = new double[pairs];
            var candidateTimes = new double[pairs];
            var ratios = new double[pairs];
            for(var i = 0; i < pairs; i++)
            {
                Both(calls, i % 2 == 0, out var baselineTicks, out var candidateTicks);
                baselineTimes[i] = Math.Max(1, baselineTicks) * nanosecondsPerOperation;
                candidateTimes[i] = Math.Max(1, candidateTicks) * nanosecondsPerOperation;
                ratios[i] = candidateTimes[i] / baselineTimes[i];
            }
            return new PairedTiming(PairedRatio.MedianOf(baselineTimes), PairedRatio.MedianOf(candidateTimes), PairedRatio.Of(ratios));
        }

        // One run of a multi-process comparison: `dotnet assembly arguments`, its exit code and
        // its output lines.
        public static int RunChild(string assembly, IEnumerable<string> arguments, out List<string> lines)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(assembly);
            foreach(var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var child = Process.Start(start);
            lines = new List<string>();
            string line;
            while((line = child.StandardOutput.ReadLine()) != null)
            {
                lines.Add(line);
            }
            child.WaitForExit();
            return child.ExitCode;
        }

        private static long Time(Func<int, ulong> run, int calls, out ulong digest)
        {
            var start = Stopwatch.GetTimestamp();
            digest = run(calls);
            return Stopwatch.GetTimestamp() - start;
        }
    }
}
