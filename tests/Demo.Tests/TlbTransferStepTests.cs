using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    public class TlbTransferStepTests
    {
        [OneTimeSetUp]
        public void RunStep()
        {
            result = new TlbTransferStep().Transfer(new DemoSettings(Seed: 11, Quick: true));
        }

        [Test]
        public void BehavesAsExpected()
        {
            Assert.That(result.Checks.Where(c => !c.Held).Select(c => $"{c.Expectation}: {c.Observed}"), Is.Empty);
            Assert.That(result.BehavedAsExpected, Is.True);
        }

        [Test]
        public void TheDestinationHoldsTheSourceBytes()
        {
            Assert.That(result.DestinationMatchesSource, Is.True);
            Assert.That(result.Channel.Done, Is.True);
            Assert.That(result.Channel.Failed, Is.False);
            Assert.That(result.Channel.BytesDone, Is.EqualTo(result.Bytes));
            Assert.That(result.Bytes, Is.EqualTo((ulong)result.Pages * 4096));
        }

        [Test]
        public void TheEngineReachedMemoryAbove4GiBThroughTheTlb()
        {
            Assert.That(result.SourcePhysical, Is.GreaterThanOrEqualTo(4UL << 30));
            Assert.That(result.DestinationPhysical, Is.GreaterThanOrEqualTo(4UL << 30));
            Assert.That(result.SourceVirtual, Is.LessThan(4UL << 30));
            Assert.That(result.DestinationVirtual, Is.LessThan(4UL << 30));
        }

        [Test]
        public void EveryMissRaisedWasHandledByTheDriver()
        {
            var c = result.Counters;
            Assert.That(c.Faults, Is.GreaterThan(0));
            Assert.That(result.MissesHandled, Is.EqualTo(c.Faults));
            Assert.That(result.Aborted, Is.Zero);
            Assert.That(c.Refills, Is.EqualTo(c.Faults), "one entry written per handled miss");
            Assert.That(result.InterruptsTaken, Is.GreaterThanOrEqualTo(result.MissesHandled));
        }

        [Test]
        public void TheTsbServedThePreloadedSourceAndTheDestinationMissed()
        {
            var c = result.Counters;
            // Each source page misses once and is found in the TSB; each destination page (one
            // more, it starts half a page in) misses once and needs the handler.
            Assert.That(c.TsbRefills, Is.EqualTo((uint)result.Pages));
            Assert.That(c.Faults, Is.EqualTo((uint)result.Pages + 1));
            Assert.That(c.Misses, Is.EqualTo(c.TsbRefills + c.Faults));
            Assert.That(c.Hits, Is.GreaterThan(c.Misses), "every page is looked up again after its refill");
        }

        [Test]
        public void PageTablesLiveInBorrowedFramesThatComeBack()
        {
            Assert.That(result.TsbBase, Is.Not.Zero);
            Assert.That(result.PageTableBase, Is.Not.Zero);
            Assert.That(result.FramesWiredDuringTransfer, Is.GreaterThan(2L * result.Pages));
            Assert.That(result.FramesReturned, Is.True);
        }

        [Test]
        public void TheCheckerSawEveryDeviceAccessInsideALoadedMap()
        {
            Assert.That(result.DeviceAccessesChecked, Is.GreaterThan(0));
            Assert.That(result.CheckerFindings, Is.Empty);
        }

        [Test]
        public void TheCopyTakesVirtualTimeAtTheEnginesBandwidth()
        {
            // 1 GB/s: at least a nanosecond per byte.
            Assert.That(result.VirtualTimeNanoseconds, Is.GreaterThanOrEqualTo(result.Bytes));
        }

        private TlbTransferResult result;
    }
}
