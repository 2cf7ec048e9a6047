using System;
using System.IO;
using NUnit.Framework;
using RenodeFrameAlloc.Cli;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    // The exit code says whether every step behaved as expected.
    public class DemoRunnerTests
    {
        [SetUp]
        public void MakeOutput()
        {
            output = Path.Combine(Path.GetTempPath(), "renode-framealloc-runner-test-" + Guid.NewGuid().ToString("N"));
        }

        [TearDown]
        public void RemoveOutput()
        {
            if(Directory.Exists(output))
            {
                Directory.Delete(output, true);
            }
        }

        [Test]
        public void AllStepsAsExpectedExitsZero()
        {
            Assert.That(Run(new FixedStep(true)), Is.Zero);
        }

        [Test]
        public void AStepThatMissesAnExpectationMakesTheExitCodeNonZero()
        {
            var console = new TestConsole();
            var code = new DemoRunner(console.Console, new IDemoStep[] { new FixedStep(true), new FixedStep(false) })
                .Run(new DemoOptions(1, output, true, false));
            Assert.That(code, Is.Not.Zero);
            Assert.That(console.Text, Does.Contain("FAIL"));
            Assert.That(console.Text, Does.Contain("1 of 2 steps did not behave as expected"));
        }

        [Test]
        public void AStepThatThrowsIsReportedAndTheOthersStillRun()
        {
            var console = new TestConsole();
            var after = new FixedStep(true);
            var code = new DemoRunner(console.Console, new IDemoStep[] { new ThrowingStep(), after }).Run(new DemoOptions(1, output, true, false));
            Assert.That(code, Is.Not.Zero);
            Assert.That(after.Runs, Is.EqualTo(1));
            Assert.That(console.Text, Does.Contain("threw InvalidOperationException: model broke"));
        }

        [Test]
        public void AStepWithNoChecksDidNotBehaveAsExpected()
        {
            Assert.That(new StepFailure { Title = "empty" }.BehavedAsExpected, Is.False);
        }

        private int Run(params IDemoStep[] steps)
        {
            return new DemoRunner(new TestConsole().Console, steps).Run(new DemoOptions(1, output, true, false));
        }

        private sealed class FixedStep : IDemoStep
        {
            public FixedStep(bool held)
            {
                this.held = held;
            }

            public string Title => held ? "a step that works" : "a step that does not";

            public int Runs { get; private set; }

            public StepResult Run(DemoSettings settings, Action<double> progress = null)
            {
                Runs++;
                progress?.Invoke(0.5);
                return new StepFailure { Title = Title, Summary = "fixed", Checks = new[] { new StepCheck("it holds", held, held ? "yes" : "no") } };
            }

            private readonly bool held;
        }

        private sealed class ThrowingStep : IDemoStep
        {
            public string Title => "a step that throws";

            public StepResult Run(DemoSettings settings, Action<double> progress = null)
            {
                throw new InvalidOperationException("model broke");
            }
        }

        private string output;
    }
}
