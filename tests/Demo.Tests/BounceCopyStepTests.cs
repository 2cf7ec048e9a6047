using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    public class BounceCopyStepTests
    {
        [OneTimeSetUp]
        public void RunStep()
        {
            result = new BounceCopyStep().Copy(new DemoSettings(Seed: 13, Quick: true));
        }

        [Test]
        public void BehavesAsExpected()
        {
            Assert.That(result.Checks.Where(c => !c.Held).Select(c => $"{c.Expectation}: {c.Observed}"), Is.Empty);
            Assert.That(result.BehavedAsExpected, Is.True);
        }

        [Test]
        public void TheBufferLiesAboveThe24BitWindow()
        {
            Assert.That(result.SourcePhysical, Is.GreaterThanOrEqualTo(1UL << 24));
            Assert.That(result.DestinationPhysical, Is.GreaterThanOrEqualTo(1UL << 24));
        }

        [Test]
        public void BothEnginesDeliverTheSourceBytes()
        {
            foreach(var copy in new[] { result.Engine24, result.Engine32 })
            {
                Assert.That(copy.Error, Is.Null, copy.Engine);
                Assert.That(copy.DestinationMatchesSource, Is.True, copy.Engine);
                Assert.That(copy.BytesDone, Is.EqualTo(result.Bytes), copy.Engine);
                Assert.That(copy.ErrorCause, Is.Zero, copy.Engine);
            }
        }

        [Test]
        public void The24BitEngineWorkedFromBouncePagesInItsWindow()
        {
            var copy = result.Engine24;
            Assert.That(copy.HighestBusAddress, Is.LessThan(1UL << 24));
            Assert.That(copy.SourceBounced && copy.DestinationBounced, Is.True);
            Assert.That(copy.BouncedLoads, Is.GreaterThan(0));
            Assert.That(copy.BouncePagesInUse, Is.GreaterThanOrEqualTo((int)(2 * result.Bytes / 4096)));
            // PREWRITE copies the source in, PREREAD the destination in, POSTREAD the destination out.
            Assert.That(copy.BytesCopiedByBounce, Is.EqualTo(3 * (long)result.Bytes));
        }

        [Test]
        public void The32BitEngineWorkedOnTheBufferItself()
        {
            var copy = result.Engine32;
            Assert.That(copy.LowestBusAddress, Is.GreaterThanOrEqualTo(1UL << 24));
            Assert.That(copy.SourceBounced || copy.DestinationBounced, Is.False);
            Assert.That(copy.BouncedLoads, Is.Zero);
            Assert.That(copy.BouncePagesInUse, Is.Zero);
            Assert.That(copy.BytesCopiedByBounce, Is.Zero);
            Assert.That(copy.Loads, Is.EqualTo(result.Engine24.Loads));
        }

        [Test]
        public void TheCorrectDriverGivesTheCheckerNothingToReport()
        {
            Assert.That(result.Engine24.Findings, Is.Empty);
            Assert.That(result.Engine32.Findings, Is.Empty);
        }

        private BounceCopyResult result;
    }
}
