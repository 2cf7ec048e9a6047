using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RenodeFrameAlloc.Bench.Paired
{
    // Two builds of one benchmark project, one benchmark, paired in one process (README.md):
    //   dotnet bench/PairedBench/bin/Release/net10.0/PairedBench.dll --baseline OLD.dll --candidate NEW.dll
    //       --benchmark TlbLookupBenchmarks.TlbHit [--param EntryCount=1024] [--runs 10] [--pairs 300]
    //       [--block-us 1000] [--warmup-s 2]
    //   ... --smoke   Devices.Bench's own build against itself, a few pairs (CI)
    // The two sides run in alternating blocks of about a millisecond; each pair of blocks gives a
    // ratio, candidate over baseline, and a run's ratio is their median. --runs N runs N processes
    // (every second one sets the candidate up first) and reports the median over the runs with a
    // bootstrap interval: within a process the ratio is pinned to a fraction of a percent, but it
    // moves from process to process by a few percent (where code and data land). Methods that
    // return ulong or bool must return the same digest on both sides in every block, or the run fails.
    public static class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                if(args.Contains("--smoke"))
                {
                    return Smoke();
                }
                var options = Parse(args);
                return options.Runs > 1 ? RunProcesses(options) : RunHere(options);
            }
            catch(Exception e) when(e is ArgumentException || e is FormatException || e is FileNotFoundException || e is InvalidOperationException)
            {
                Console.Error.WriteLine($"PairedBench: {e.Message}");
                return 2;
            }
        }

        private sealed class Options
        {
            public string Baseline;
            public string Candidate;
            public string Type;
            public string Method;
            public readonly Dictionary<string, string> Parameters = new Dictionary<string, string>();
            public int Runs = 1;
            public int Pairs = 300;
            public double BlockMicroseconds = 1000;
            public double WarmupSeconds = 2;
            public bool CandidateFirst;
            public bool ResultLine;
        }

        private static Options Parse(string[] args)
        {
            var options = new Options();
            for(var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch(args[i])
                {
                case "--baseline": options.Baseline = Value(); break;
                case "--candidate": options.Candidate = Value(); break;
                case "--benchmark":
                    var name = Value().Split('.');
                    if(name.Length != 2)
                    {
                        throw new ArgumentException("--benchmark takes Class.Method");
                    }
                    options.Type = name[0];
                    options.Method = name[1];
                    break;
                case "--param":
                    var parameter = Value().Split('=', 2);
                    if(parameter.Length != 2)
                    {
                        throw new ArgumentException("--param takes Name=Value");
                    }
                    options.Parameters[parameter[0]] = parameter[1];
                    break;
                case "--runs": options.Runs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--pairs": options.Pairs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--block-us": options.BlockMicroseconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--warmup-s": options.WarmupSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case CandidateFirstOption: options.CandidateFirst = true; break;
                case ResultLineOption: options.ResultLine = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            if(options.Baseline == null || options.Candidate == null || options.Type == null || options.Runs < 1 || options.Pairs < 1 || options.BlockMicroseconds <= 0)
            {
                throw new ArgumentException("--baseline DLL --candidate DLL --benchmark Class.Method [--param Name=Value]... [--runs N>0] [--pairs N>0] [--block-us US>0] [--warmup-s S]");
            }
            return options;
        }

        // One process: the ratio over its pairs.
        private static int RunHere(Options options)
        {
            var baseline = new BenchmarkBuild("baseline", options.Baseline);
            var candidate = new BenchmarkBuild("candidate", options.Candidate);
            Func<int, ulong> runBaseline, runCandidate;
            int operations;
            if(options.CandidateFirst)
            {
                runCandidate = candidate.Create(options.Type, options.Method, options.Parameters, out operations);
                runBaseline = baseline.Create(options.Type, options.Method, options.Parameters, out operations);
            }
            else
            {
                runBaseline = baseline.Create(options.Type, options.Method, options.Parameters, out operations);
                runCandidate = candidate.Create(options.Type, options.Method, options.Parameters, out operations);
            }
            var result = PairedTiming.Measure(runBaseline, runCandidate, operations, options.Pairs, options.BlockMicroseconds, options.WarmupSeconds);
            Console.WriteLine(options.ResultLine
                ? FormattableString.Invariant($"{ResultPrefix} {result.BaselineNanoseconds} {result.CandidateNanoseconds} {result.Ratio.Median}")
                : FormattableString.Invariant($"{Describe(options)}: baseline {result.BaselineNanoseconds:0.00} ns/op, candidate {result.CandidateNanoseconds:0.00} ns/op, ratio {result.Ratio}"));
            return 0;
        }

        // Several processes, alternating which side is set up first.
        private static int RunProcesses(Options options)
        {
            var baseline = new List<double>();
            var candidate = new List<double>();
            var ratios = new List<double>();
            Console.WriteLine($"{Describe(options)}: baseline {Path.GetFullPath(options.Baseline)}, candidate {Path.GetFullPath(options.Candidate)}");
            for(var run = 0; run < options.Runs; run++)
            {
                var exitCode = PairedTiming.RunChild(typeof(Program).Assembly.Location, ChildArguments(options, candidateFirst: run % 2 == 1), out var lines);
                var line = lines.FirstOrDefault(l => l.StartsWith(ResultPrefix + " ", StringComparison.Ordinal));
                if(exitCode != 0 || line == null)
                {
                    Console.WriteLine($"run {run + 1} failed (exit code {exitCode}): {string.Join(Environment.NewLine, lines)}");
                    return 1;
                }
                var fields = line.Split(' ');
                baseline.Add(double.Parse(fields[1], CultureInfo.InvariantCulture));
                candidate.Add(double.Parse(fields[2], CultureInfo.InvariantCulture));
                ratios.Add(double.Parse(fields[3], CultureInfo.InvariantCulture));
                Console.WriteLine(FormattableString.Invariant($"run {run + 1}{(run % 2 == 1 ? " (candidate set up first)" : "")}: {baseline[run]:0.00} / {candidate[run]:0.00} ns/op, ratio {ratios[run]:0.000}"));
            }
            var summary = PairedRatio.Of(ratios.ToArray());
            Console.WriteLine(FormattableString.Invariant($"{Describe(options)}: baseline {PairedRatio.MedianOf(baseline.ToArray()):0.00} ns/op, candidate {PairedRatio.MedianOf(candidate.ToArray()):0.00} ns/op (medians of runs); ratio, median of {options.Runs} runs: {summary} (runs {ratios.Min():0.000} to {ratios.Max():0.000})"));
            return 0;
        }

        private static IEnumerable<string> ChildArguments(Options options, bool candidateFirst)
        {
            yield return "--baseline";
            yield return Path.GetFullPath(options.Baseline);
            yield return "--candidate";
            yield return Path.GetFullPath(options.Candidate);
            yield return "--benchmark";
            yield return $"{options.Type}.{options.Method}";
            foreach(var parameter in options.Parameters)
            {
                yield return "--param";
                yield return $"{parameter.Key}={parameter.Value}";
            }
            yield return "--pairs";
            yield return options.Pairs.ToString(CultureInfo.InvariantCulture);
            yield return "--block-us";
            yield return options.BlockMicroseconds.ToString(CultureInfo.InvariantCulture);
            yield return "--warmup-s";
            yield return options.WarmupSeconds.ToString(CultureInfo.InvariantCulture);
            yield return ResultLineOption;
            if(candidateFirst)
            {
                yield return CandidateFirstOption;
            }
        }

        private static string Describe(Options options)
        {
            var parameters = string.Join(", ", options.Parameters.Select(p => $"{p.Key}={p.Value}"));
            return $"{options.Type}.{options.Method}{(parameters.Length > 0 ? $" ({parameters})" : "")}";
        }

        // Devices.Bench's own build (built before this project) against itself, a few short pairs of
        // a benchmark that returns a digest: both sides load, set up and agree.
        private static int Smoke()
        {
            var devicesBench = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Devices.Bench", "bin", "Release", "net10.0", "Devices.Bench.dll"));
            var options = new Options
            {
                Baseline = devicesBench,
                Candidate = devicesBench,
                Type = "TlbLookupBenchmarks",
                Method = "TlbHit",
                Pairs = 5,
                BlockMicroseconds = 100,
                WarmupSeconds = 0
            };
            options.Parameters["EntryCount"] = "64";
            return RunHere(options);
        }

        private const string CandidateFirstOption = "--candidate-first";
        private const string ResultLineOption = "--result-line";
        private const string ResultPrefix = "RESULT";
    }
}
