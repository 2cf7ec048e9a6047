using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RenodeFrameAlloc.Bench
{
    // `--compare-with FOLDER`: this tree's frame allocator against another build of it (FOLDER holds
    // that build's RenodeFrameAlloc.FrameAllocator.dll), both in this process. The two sides run the
    // same benchmark bodies in alternating blocks of about a millisecond, and each pair of blocks
    // gives one ratio, candidate over baseline: a machine whose speed drifts by tens of percent
    // between runs (a shared virtual machine) still resolves a few percent between the builds.
    // Every block's digest of returned addresses must be the same on both sides: a difference in
    // behaviour fails the run before any time is reported.
    public static class PairedComparison
    {
        public sealed class Options
        {
            public string BaselineFolder;
            public string CandidateFolder = AppContext.BaseDirectory;
            public int Pairs = 300;
            public double BlockMicroseconds = 1000;
            public double WarmupSeconds = 2;
            public string[] Benchmarks = PairedSubject.Benchmarks;
            public int[] FrameCounts = { BenchmarkLayout.FourGiBFrames, BenchmarkLayout.SixtyFourGiBFrames };
            public int Runs = 1;
            public bool CandidateFirst;
            public bool ResultLines;
        }

        // Parses the comparison's options from the program's arguments; null, with the reason
        // written to error, when they do not make a comparison.
        public static Options Parse(string[] args, TextWriter error)
        {
            var options = new Options();
            for(var i = 0; i < args.Length; i++)
            {
                string Value()
                {
                    return i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                }
                try
                {
                    switch(args[i])
                    {
                    case "--compare-with":
                        options.BaselineFolder = Value();
                        break;
                    case "--candidate":
                        options.CandidateFolder = Value();
                        break;
                    case "--pairs":
                        options.Pairs = int.Parse(Value());
                        break;
                    case "--block-us":
                        options.BlockMicroseconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--warmup-s":
                        options.WarmupSeconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--benchmark":
                        options.Benchmarks = Value().Split(',');
                        break;
                    case "--runs":
                        options.Runs = int.Parse(Value());
                        break;
                    case CandidateFirstOption:
                        options.CandidateFirst = true;
                        break;
                    case ResultLinesOption:
                        options.ResultLines = true;
                        break;
                    case "--gib":
                        options.FrameCounts = Value().Split(',').Select(g => checked(int.Parse(g) * (BenchmarkLayout.FourGiBFrames / 4))).ToArray();
                        break;
                    default:
                        throw new ArgumentException($"unknown option {args[i]}");
                    }
                }
                catch(Exception e) when(e is ArgumentException || e is FormatException || e is OverflowException)
                {
                    error.WriteLine($"--compare-with: {e.Message}");
                    return null;
                }
            }
            var unknown = options.Benchmarks.Where(b => !PairedSubject.Benchmarks.Contains(b)).ToArray();
            if(options.BaselineFolder == null || options.Pairs < 1 || options.Runs < 1 || options.BlockMicroseconds <= 0 || unknown.Length > 0
               || options.FrameCounts.Any(f => f < BenchmarkLayout.FourGiBFrames))
            {
                error.WriteLine($"--compare-with FOLDER [--candidate FOLDER] [--runs N>0] [--pairs N>0] [--block-us US>0] [--warmup-s S] "
                                + $"[--benchmark {string.Join(",", PairedSubject.Benchmarks)}] [--gib 4,64 (at least 4)]"
                                + (unknown.Length > 0 ? $"; unknown benchmark {string.Join(", ", unknown)}" : ""));
                return null;
            }
            return options;
        }

        // Runs every chosen benchmark at every chosen size and writes one line each; 0 when every
        // block of both sides returned the same digest, 1 when any differed or a side failed.
        // With more than one run, each run is a process of its own (see RunProcesses).
        public static int Run(TextWriter output, Options options)
        {
            if(options.Runs > 1)
            {
                return RunProcesses(output, options);
            }
            var baseline = new SubjectLoadContext("baseline", options.BaselineFolder);
            var candidate = new SubjectLoadContext("candidate", options.CandidateFolder);
            if(!options.ResultLines)
            {
                output.WriteLine($"baseline:  {baseline.AllocatorPath}");
                output.WriteLine($"candidate: {candidate.AllocatorPath}");
                output.WriteLine($"{options.Pairs} pairs of ~{options.BlockMicroseconds:0} us blocks, order alternating; ratio = candidate / baseline, median [95% bootstrap interval]");
                output.WriteLine("| benchmark | memory | baseline ns/op | candidate ns/op | ratio |");
                output.WriteLine("| --- | --- | --- | --- | --- |");
            }
            // The side loaded first is compiled first; runs of several processes alternate it.
            Func<string, int, Func<int, ulong>> createBaseline, createCandidate;
            if(options.CandidateFirst)
            {
                createCandidate = candidate.LoadSubject();
                createBaseline = baseline.LoadSubject();
            }
            else
            {
                createBaseline = baseline.LoadSubject();
                createCandidate = candidate.LoadSubject();
            }
            var failures = 0;
            foreach(var frameCount in options.FrameCounts)
            {
                foreach(var benchmark in options.Benchmarks)
                {
                    try
                    {
                        var result = Compare(benchmark, frameCount, createBaseline, createCandidate, options);
                        output.WriteLine(options.ResultLines
                            ? FormattableString.Invariant($"{ResultPrefix} {benchmark} {frameCount} {result.BaselineNanoseconds} {result.CandidateNanoseconds} {result.Ratio.Median}")
                            : $"| {benchmark} | {BenchmarkLayout.Describe(frameCount)} | {result.BaselineNanoseconds:0.00} | {result.CandidateNanoseconds:0.00} | {result.Ratio} |");
                    }
                    catch(Exception e)
                    {
                        failures++;
                        output.WriteLine($"| {benchmark} | {BenchmarkLayout.Describe(frameCount)} | FAILED: {e.GetBaseException().Message} | | |");
                    }
                    output.Flush();
                }
            }
            return failures == 0 ? 0 : 1;
        }

        // Several runs, one process each, alternating which side is loaded (and compiled) first.
        // Within a process the pairs pin the ratio down to a fraction of a percent, but the ratio
        // itself moves from process to process by a few percent even when both sides are the same
        // build (where the JIT puts each side's code, where the allocators' arrays land): so the
        // result is the median of the runs' ratios, with its bootstrap interval over the runs.
        private static int RunProcesses(TextWriter output, Options options)
        {
            var self = typeof(PairedComparison).Assembly.Location;
            var perRun = new Dictionary<(string, int), List<(double Baseline, double Candidate, double Ratio)>>();
            output.WriteLine($"baseline:  {Path.GetFullPath(options.BaselineFolder)}");
            output.WriteLine($"candidate: {Path.GetFullPath(options.CandidateFolder)}");
            output.WriteLine($"{options.Runs} runs (processes), each {options.Pairs} pairs of ~{options.BlockMicroseconds:0} us blocks; "
                             + "ratio = candidate / baseline: a run's is the median over its pairs; summary: median over runs [95% bootstrap interval]");
            for(var run = 0; run < options.Runs; run++)
            {
                var exitCode = PairedTiming.RunChild(self, ChildArguments(options, candidateFirst: run % 2 == 1), out var lines);
                var results = lines.Where(l => l.StartsWith(ResultPrefix + " ", StringComparison.Ordinal)).ToArray();
                if(exitCode != 0 || results.Length != options.Benchmarks.Length * options.FrameCounts.Length)
                {
                    output.WriteLine($"run {run + 1} failed (exit code {exitCode}):");
                    foreach(var l in lines)
                    {
                        output.WriteLine("  " + l);
                    }
                    return 1;
                }
                var ratios = new List<string>();
                foreach(var result in results)
                {
                    var fields = result.Split(' ');
                    var key = (fields[1], int.Parse(fields[2]));
                    var values = (double.Parse(fields[3], CultureInfo.InvariantCulture), double.Parse(fields[4], CultureInfo.InvariantCulture),
                                  double.Parse(fields[5], CultureInfo.InvariantCulture));
                    if(!perRun.TryGetValue(key, out var list))
                    {
                        perRun[key] = list = new List<(double, double, double)>();
                    }
                    list.Add(values);
                    ratios.Add($"{fields[1]}@{int.Parse(fields[2]) / (BenchmarkLayout.FourGiBFrames / 4)}GiB {values.Item3:0.000}");
                }
                output.WriteLine($"run {run + 1}{(run % 2 == 1 ? " (candidate loaded first)" : "")}: {string.Join(", ", ratios)}");
                output.Flush();
            }
            output.WriteLine("| benchmark | memory | baseline ns/op (median of runs) | candidate ns/op | ratio, median of runs [95%] | runs' ratios, lowest to highest |");
            output.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach(var frameCount in options.FrameCounts)
            {
                foreach(var benchmark in options.Benchmarks)
                {
                    var runs = perRun[(benchmark, frameCount)];
                    var ratio = PairedRatio.Of(runs.Select(r => r.Ratio).ToArray());
                    output.WriteLine($"| {benchmark} | {BenchmarkLayout.Describe(frameCount)} | {PairedRatio.MedianOf(runs.Select(r => r.Baseline).ToArray()):0.00} "
                                     + $"| {PairedRatio.MedianOf(runs.Select(r => r.Candidate).ToArray()):0.00} | {ratio} "
                                     + $"| {runs.Select(r => r.Ratio).Min():0.000} to {runs.Select(r => r.Ratio).Max():0.000} |");
                }
            }
            return 0;
        }

        private static IEnumerable<string> ChildArguments(Options options, bool candidateFirst)
        {
            yield return "--compare-with";
            yield return Path.GetFullPath(options.BaselineFolder);
            yield return "--candidate";
            yield return Path.GetFullPath(options.CandidateFolder);
            yield return "--pairs";
            yield return options.Pairs.ToString(CultureInfo.InvariantCulture);
            yield return "--block-us";
            yield return options.BlockMicroseconds.ToString(CultureInfo.InvariantCulture);
            yield return "--warmup-s";
            yield return options.WarmupSeconds.ToString(CultureInfo.InvariantCulture);
            yield return "--benchmark";
            yield return string.Join(",", options.Benchmarks);
            yield return "--gib";
            yield return string.Join(",", options.FrameCounts.Select(f => f / (BenchmarkLayout.FourGiBFrames / 4)));
            yield return ResultLinesOption;
            if(candidateFirst)
            {
                yield return CandidateFirstOption;
            }
        }

        private const string CandidateFirstOption = "--candidate-first";
        private const string ResultLinesOption = "--result-lines";
        private const string ResultPrefix = "RESULT";

        // One benchmark at one size: both sides set up fresh, calibrated to the block length on the
        // candidate, warmed up (so both run the JIT's final tier) and then measured in pairs.
        public static PairedTiming Compare(string benchmark, int frameCount, Func<string, int, Func<int, ulong>> createBaseline,
                                           Func<string, int, Func<int, ulong>> createCandidate, Options options)
        {
            var runBaseline = createBaseline(benchmark, frameCount);
            var runCandidate = createCandidate(benchmark, frameCount);
            return PairedTiming.Measure(runBaseline, runCandidate, PairedSubject.OperationsPerInvoke(benchmark), options.Pairs,
                options.BlockMicroseconds, options.WarmupSeconds);
        }
    }
}
