using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    public class MisuseCheckerStepTests
    {
        [OneTimeSetUp]
        public void RunStep()
        {
            result = new MisuseCheckerStep().Check(new DemoSettings(Seed: 17, Quick: true));
        }

        [Test]
        public void BehavesAsExpected()
        {
            Assert.That(result.Checks.Where(c => !c.Held).Select(c => $"{c.Expectation}: {c.Observed}"), Is.Empty);
            Assert.That(result.BehavedAsExpected, Is.True);
        }

        [Test]
        public void WithoutTheBugThereIsNoFindingAndTheDataArrives()
        {
            var run = Run(DriverMistake.None);
            Assert.That(run.Error, Is.Null);
            Assert.That(run.Findings, Is.Empty);
            Assert.That(run.DestinationMatchesSource, Is.True);
        }

        [Test]
        public void AForgottenPreWriteIsReportedAsAnUnpreparedDeviceRead()
        {
            var run = Run(DriverMistake.ForgetPreWrite);
            Assert.That(run.FindingKinds, Does.Contain("DeviceAccessUnprepared"));
            Assert.That(run.Findings, Has.Some.Contains("PREWRITE"));
            Assert.That(run.DestinationMatchesSource, Is.False, "non-coherent: the device read memory the CPU had not written back");
        }

        [Test]
        public void AForgottenPostReadIsReportedAsAStaleCpuRead()
        {
            var run = Run(DriverMistake.ForgetPostRead);
            Assert.That(run.FindingKinds, Does.Contain("CpuReadStale"));
            Assert.That(run.Findings, Has.Some.Contains("POSTREAD"));
            Assert.That(run.DestinationMatchesSource, Is.False, "non-coherent: the CPU does not see the device's writes");
        }

        [Test]
        public void FindingsReadAsTheCheckersLogLines()
        {
            Assert.That(result.Runs.SelectMany(r => r.Findings), Is.All.StartsWith("DMA checker: "));
        }

        private CheckedDriverRun Run(DriverMistake mistake)
        {
            return result.Runs.Single(r => r.Mistake == mistake);
        }

        private MisuseCheckerResult result;
    }
}
