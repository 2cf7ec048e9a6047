using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RenodeFrameAlloc.Cli.Rendering;
using RenodeFrameAlloc.Cli.Steps;
using Spectre.Console;

namespace RenodeFrameAlloc.Cli
{
    // Runs the demo: every step on a fresh embedded board, each shown as it finishes, then the
    // plot, the JSON report and the summary. The exit code is 0 only when every step behaved as
    // expected and both files were written.
    public sealed class DemoRunner
    {
        public DemoRunner(IAnsiConsole console, IReadOnlyList<IDemoStep> steps = null)
        {
            this.console = console ?? throw new ArgumentNullException(nameof(console));
            this.steps = steps ?? AllSteps();
            report = new ConsoleReport(console);
        }

        public static IReadOnlyList<IDemoStep> AllSteps()
        {
            return new IDemoStep[]
            {
                new FrameBorrowingStep(),
                new BufferCacheStep(),
                new BounceCopyStep(),
                new TlbTransferStep(),
                new MisuseCheckerStep()
            };
        }

        public static string DefaultOutputDirectory => Path.Combine(Path.GetTempPath(), "renode-framealloc-demo");

        public int Run(DemoOptions options)
        {
            if(options.Renode)
            {
                var root = RenodeSuiteRunner.FindRepositoryRoot(Directory.GetCurrentDirectory())
                    ?? RenodeSuiteRunner.FindRepositoryRoot(AppContext.BaseDirectory);
                var runner = new RenodeSuiteRunner(Environment.GetEnvironmentVariable("PATH"), root);
                return runner.Run(line => console.WriteLine(line));
            }

            var settings = new DemoSettings(options.Seed, options.Quick);
            report.Message($"[bold]renode-framealloc demo[/] on the embedded host (device models over an in-memory bus), seed {options.Seed}{(options.Quick ? ", quick sizes" : string.Empty)}");
            var results = new List<StepResult>();
            for(var i = 0; i < steps.Count; i++)
            {
                report.StepHeader(i + 1, steps.Count, steps[i].Title);
                var result = RunWithProgress(steps[i], settings);
                results.Add(result);
                report.Show(result);
            }

            var files = new List<string>();
            var filesWritten = true;
            var directory = Path.GetFullPath(options.OutputDirectory ?? DefaultOutputDirectory);
            string plot = null;
            try
            {
                Directory.CreateDirectory(directory);
                var cache = results.OfType<BufferCacheResult>().FirstOrDefault();
                if(cache != null)
                {
                    plot = Path.Combine(directory, PlotFileName);
                    OccupancyPlot.Save(cache, plot);
                    files.Add(plot);
                }
                var json = Path.Combine(directory, ReportFileName);
                JsonReport.Write(new DemoReport(options.Seed, options.Quick, results.All(r => r.BehavedAsExpected), results, plot), json);
                files.Add(json);
            }
            catch(Exception e) when(e is IOException || e is UnauthorizedAccessException || e is TypeInitializationException || e is DllNotFoundException)
            {
                filesWritten = false;
                report.Message($"[red]could not write to {Markup.Escape(directory)}:[/] {Markup.Escape(e.Message)}");
            }
            report.Summary(results, files);
            return filesWritten && results.All(r => r.BehavedAsExpected) ? 0 : 1;
        }

        private StepResult RunWithProgress(IDemoStep step, DemoSettings settings)
        {
            StepResult result = null;
            console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(step.Title), maxValue: 1.0);
                    try
                    {
                        result = step.Run(settings, fraction => task.Value = Math.Clamp(fraction, 0, 1));
                    }
                    catch(Exception e)
                    {
                        // A step that throws is a demo bug or a broken model: report it, go on with the others.
                        result = new StepFailure
                        {
                            Title = step.Title,
                            Summary = $"threw {e.GetType().Name}: {e.Message}",
                            Error = e.ToString(),
                            Checks = new[] { new StepCheck("the step runs to the end", false, e.Message) }
                        };
                    }
                    task.Value = 1.0;
                });
            return result;
        }

        public const string PlotFileName = "buffer-cache-occupancy.png";
        public const string ReportFileName = "report.json";

        private readonly IAnsiConsole console;
        private readonly IReadOnlyList<IDemoStep> steps;
        private readonly ConsoleReport report;
    }
}
