using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;
using RenodeFrameAlloc.Cli;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    // The demo as a user runs it: `renode-framealloc demo --quick --out DIR`.
    public class DemoCommandTests
    {
        [OneTimeSetUp]
        public void RunDemo()
        {
            output = Path.Combine(Path.GetTempPath(), "renode-framealloc-demo-test-" + Guid.NewGuid().ToString("N"));
            console = new TestConsole();
            exitCode = Program.Run(new[] { "demo", "--quick", "--seed", "5", "--out", output }, console.Console);
        }

        [OneTimeTearDown]
        public void RemoveOutput()
        {
            if(Directory.Exists(output))
            {
                Directory.Delete(output, true);
            }
        }

        [Test]
        public void ExitsWithZero()
        {
            Assert.That(exitCode, Is.Zero, console.Text);
        }

        [Test]
        public void WritesAPngPlot()
        {
            var plot = Path.Combine(output, DemoRunner.PlotFileName);
            Assert.That(File.Exists(plot), Is.True);
            var bytes = File.ReadAllBytes(plot);
            Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            Assert.That(bytes.Length, Is.GreaterThan(10_000), "a plot with lines and text, not an empty image");
        }

        [Test]
        public void WritesAJsonReportWithEveryStep()
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, DemoRunner.ReportFileName)));
            var root = document.RootElement;
            Assert.That(root.GetProperty("seed").GetInt32(), Is.EqualTo(5));
            Assert.That(root.GetProperty("quick").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("allAsExpected").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("plot").GetString(), Does.EndWith(DemoRunner.PlotFileName));
            var steps = root.GetProperty("steps").EnumerateArray().ToList();
            Assert.That(steps, Has.Count.EqualTo(DemoRunner.AllSteps().Count));
            Assert.That(steps.Select(s => s.GetProperty("behavedAsExpected").GetBoolean()), Is.All.True);
            Assert.That(steps.Select(s => s.GetProperty("checks").GetArrayLength()), Is.All.GreaterThan(0));
            var cache = steps.Single(s => s.TryGetProperty("capped", out _));
            Assert.That(cache.GetProperty("capped").GetProperty("programPagesEvicted").GetInt64(), Is.Zero);
            Assert.That(cache.GetProperty("uncapped").GetProperty("programPagesEvicted").GetInt64(), Is.GreaterThan(0));
        }

        [Test]
        public void EndsWithTheSummaryAndThePlotPath()
        {
            var text = console.Text;
            Assert.That(text, Does.Contain("Summary"));
            Assert.That(text, Does.Contain(Path.Combine(output, DemoRunner.PlotFileName)));
            Assert.That(text.TrimEnd(), Does.EndWith($"All {DemoRunner.AllSteps().Count} steps behaved as expected."));
        }

        [Test]
        public void ShowsEachStepsTables()
        {
            Assert.That(console.Text, Does.Contain("per-range statistics"));
            Assert.That(console.Text, Does.Contain("program pages evicted"));
            Assert.That(console.Text, Does.Contain("bounced loads"));
            Assert.That(console.Text, Does.Contain("TSB_REFILLS"));
            Assert.That(console.Text, Does.Contain("DMA checker: CpuReadStale"));
        }

        [Test]
        public void AnUnknownOptionIsAnError()
        {
            Assert.That(Program.Run(new[] { "demo", "--no-such-option" }, new TestConsole().Console), Is.Not.Zero);
        }

        private string output;
        private TestConsole console;
        private int exitCode;
    }
}
