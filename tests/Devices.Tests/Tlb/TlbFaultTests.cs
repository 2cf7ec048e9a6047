using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    public class TlbFaultTests
    {
        [SetUp]
        public void SetUp()
        {
            host = new RecordingHost();
            tlb = new SoftwareManagedTlbModel(16, 0, null, host);
        }

        [Test]
        public void MissLatchesRaisesInterruptAndStallsTheRequester()
        {
            var requester = new RecordingRequester();
            var status = tlb.Translate(0x1234_5678, 9, DmaAccess.Write, requester, out _, out _);
            Assert.That(status, Is.EqualTo(TranslationStatus.Miss));
            Assert.That(host.Interrupt, Is.True);
            Assert.That(tlb.Status.HasFlag(TlbStatus.FaultPending), Is.True);
            var fault = tlb.LatchedFault;
            Assert.That(fault.VirtualAddress, Is.EqualTo(0x1234_5678UL));
            Assert.That(fault.InitiatorId, Is.EqualTo(9));
            Assert.That(fault.Access, Is.EqualTo(DmaAccess.Write));
            Assert.That(fault.Cause, Is.EqualTo(TlbFaultCause.Miss));
            Assert.That(fault.Stalled, Is.True);
            Assert.That(requester.Resolved + requester.Aborted, Is.EqualTo(0));
            Assert.That(host.Messages, Is.Empty, "a stalled miss is normal operation, not a guest error");
        }

        [Test]
        public void ResumeAfterRefillCallsTheRequesterBackAndClearsTheInterrupt()
        {
            var requester = new RecordingRequester();
            tlb.Translate(0x5000, 1, DmaAccess.Read, requester, out _, out _);
            tlb.WriteRandom(new TlbEntry(0x5000, 0x9000, 1, true, true));
            Assert.That(tlb.Resume(), Is.True);
            Assert.That(requester.Resolved, Is.EqualTo(1));
            Assert.That(requester.Aborted, Is.EqualTo(0));
            Assert.That(host.Interrupt, Is.False);
            Assert.That(tlb.HasLatchedFault, Is.False);
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Read, requester, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(0x9000UL));
        }

        [Test]
        public void AbortCallsTheRequesterBackAsAborted()
        {
            var requester = new RecordingRequester();
            tlb.Translate(0x5000, 1, DmaAccess.Read, requester, out _, out _);
            Assert.That(tlb.Abort(), Is.True);
            Assert.That(requester.Aborted, Is.EqualTo(1));
            Assert.That(requester.Resolved, Is.EqualTo(0));
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void PermissionViolationIsLatchedWithItsOwnCauseAndStalls()
        {
            var requester = new RecordingRequester();
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x9000, 1, true, false));
            var status = tlb.Translate(0x5010, 1, DmaAccess.Write, requester, out _, out _);
            Assert.That(status, Is.EqualTo(TranslationStatus.PermissionFault));
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(TlbFaultCause.Permission));
            Assert.That(host.Interrupt, Is.True);
            // Software grants write access and resumes: the retry goes through.
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x9000, 1, true, true));
            tlb.Resume();
            Assert.That(requester.Resolved, Is.EqualTo(1));
            Assert.That(tlb.Translate(0x5010, 1, DmaAccess.Write, requester, out _, out _), Is.EqualTo(TranslationStatus.Ok));
        }

        [Test]
        public void SecondMissQueuesBehindTheLatchedOneAndIsLatchedNext()
        {
            var first = new RecordingRequester();
            var second = new RecordingRequester();
            tlb.Translate(0x1000, 1, DmaAccess.Read, first, out _, out _);
            tlb.Translate(0x8000, 2, DmaAccess.Write, second, out _, out _);
            Assert.That(tlb.LatchedFault.VirtualAddress, Is.EqualTo(0x1000UL));
            Assert.That(tlb.QueuedFaults, Is.EqualTo(1));

            tlb.WriteRandom(new TlbEntry(0x1000, 0x1000, 1, true, true));
            tlb.Resume();
            Assert.That(first.Resolved, Is.EqualTo(1));
            Assert.That(second.Resolved, Is.EqualTo(0));
            Assert.That(tlb.LatchedFault.VirtualAddress, Is.EqualTo(0x8000UL));
            Assert.That(tlb.LatchedFault.InitiatorId, Is.EqualTo(2));
            Assert.That(host.Interrupt, Is.True, "the next fault keeps the line up");

            tlb.Abort();
            Assert.That(second.Aborted, Is.EqualTo(1));
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void QueuedFaultCoveredByTheRefillIsResolvedWithoutSoftware()
        {
            var first = new RecordingRequester();
            var second = new RecordingRequester();
            tlb.Translate(0x400010, 1, DmaAccess.Read, first, out _, out _);
            tlb.Translate(0x5FF000, 1, DmaAccess.Read, second, out _, out _);
            // One 2 MiB refill covers both faults.
            tlb.WriteRandom(new TlbEntry(0x400000, 0x800000, 1, true, true, TlbPageSize.Size2MiB));
            tlb.Resume();
            Assert.That(first.Resolved, Is.EqualTo(1));
            Assert.That(second.Resolved, Is.EqualTo(1));
            Assert.That(tlb.HasLatchedFault, Is.False);
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void RequesterThatFaultsAgainAfterResumeIsLatchedAgain()
        {
            var requester = new RecordingRequester();
            requester.OnResolved = () => tlb.Translate(0x1000, 1, DmaAccess.Read, requester, out _, out _);
            tlb.Translate(0x1000, 1, DmaAccess.Read, requester, out _, out _);
            // Resume without a refill: the retry misses again.
            tlb.Resume();
            Assert.That(tlb.HasLatchedFault, Is.True);
            Assert.That(tlb.LatchedFault.VirtualAddress, Is.EqualTo(0x1000UL));
            Assert.That(host.Interrupt, Is.True);
        }

        [Test]
        public void AStalledRequesterIsNotQueuedTwice()
        {
            var requester = new RecordingRequester();
            tlb.Translate(0x1000, 1, DmaAccess.Read, requester, out _, out _);
            tlb.Translate(0x1000, 1, DmaAccess.Read, requester, out _, out _);
            Assert.That(tlb.QueuedFaults, Is.EqualTo(0));
            Assert.That(tlb.Faults, Is.EqualTo(1UL));
            tlb.Abort();
            Assert.That(requester.Aborted, Is.EqualTo(1));
        }

        [Test]
        public void InitiatorThatCannotWaitIsDroppedLatchedAndLogged()
        {
            var status = tlb.Translate(0x7000, 3, DmaAccess.Write, null, out _, out _);
            Assert.That(status, Is.EqualTo(TranslationStatus.Aborted));
            Assert.That(tlb.LatchedFault.Stalled, Is.False);
            Assert.That(tlb.LatchedFault.VirtualAddress, Is.EqualTo(0x7000UL));
            Assert.That(host.Interrupt, Is.True);
            Assert.That(host.Messages, Has.Count.EqualTo(1));
            Assert.That(host.Messages[0], Does.Contain("0x7000"));
            // Software acknowledges with resume (nobody to call back).
            Assert.That(tlb.Resume(), Is.True);
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void FaultThatCannotBeLatchedIsAnOverrun()
        {
            var requester = new RecordingRequester();
            tlb.Translate(0x1000, 1, DmaAccess.Read, requester, out _, out _);
            var status = tlb.Translate(0x7000, 3, DmaAccess.Read, null, out _, out _);
            Assert.That(status, Is.EqualTo(TranslationStatus.Aborted));
            Assert.That(tlb.LatchedFault.VirtualAddress, Is.EqualTo(0x1000UL), "the latched fault is kept");
            Assert.That(tlb.Status.HasFlag(TlbStatus.Overrun), Is.True);
            Assert.That(tlb.Faults, Is.EqualTo(2UL));
            tlb.Abort();
            Assert.That(host.Interrupt, Is.True, "overrun is sticky until acknowledged");
            tlb.AcknowledgeStatus(TlbStatus.Overrun);
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void RepeatedOverrunsAreLoggedOnceUntilAcknowledged()
        {
            tlb.Translate(0x1000, 3, DmaAccess.Write, null, out _, out _);
            for(var i = 1; i <= 100; i++)
            {
                tlb.Translate(0x1000 + (ulong)i * 4, 3, DmaAccess.Write, null, out _, out _);
            }
            Assert.That(host.Messages, Has.Count.EqualTo(2), "the latched fault and the first overrun");
            Assert.That(tlb.Faults, Is.EqualTo(101UL), "every dropped access is still counted");
            tlb.AcknowledgeStatus(TlbStatus.Overrun);
            tlb.Translate(0x2000, 3, DmaAccess.Write, null, out _, out _);
            Assert.That(host.Messages, Has.Count.EqualTo(3));
        }

        [Test]
        public void PermissionFaultOfAnInitiatorThatCannotWaitIsReportedAsSuch()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x9000, 1, true, false));
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Write, null, out _, out _), Is.EqualTo(TranslationStatus.PermissionFault));
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(TlbFaultCause.Permission));
            Assert.That(tlb.LatchedFault.Stalled, Is.False);
        }

        [Test]
        public void ResumeOrAbortWithoutAFaultIsACommandError()
        {
            Assert.That(tlb.Resume(), Is.False);
            Assert.That(tlb.Status.HasFlag(TlbStatus.CommandError), Is.True);
            tlb.AcknowledgeStatus(TlbStatus.CommandError);
            Assert.That(tlb.Abort(), Is.False);
            Assert.That(tlb.Status.HasFlag(TlbStatus.CommandError), Is.True);
        }

        [Test]
        public void InterruptEnableMasksTheLineButNotTheLatch()
        {
            tlb.InterruptEnable = TlbStatus.CommandError;
            var requester = new RecordingRequester();
            tlb.Translate(0x1000, 1, DmaAccess.Read, requester, out _, out _);
            Assert.That(tlb.HasLatchedFault, Is.True);
            Assert.That(host.Interrupt, Is.False);
            tlb.InterruptEnable = TlbStatus.All;
            Assert.That(host.Interrupt, Is.True);
        }

        [Test]
        public void AcknowledgingCannotClearAPendingFault()
        {
            tlb.Translate(0x1000, 1, DmaAccess.Read, new RecordingRequester(), out _, out _);
            tlb.AcknowledgeStatus(TlbStatus.All);
            Assert.That(tlb.Status.HasFlag(TlbStatus.FaultPending), Is.True);
            Assert.That(host.Interrupt, Is.True);
        }

        [Test]
        public void ResetAbortsStalledRequesters()
        {
            var first = new RecordingRequester();
            var second = new RecordingRequester();
            tlb.Translate(0x1000, 1, DmaAccess.Read, first, out _, out _);
            tlb.Translate(0x2000, 1, DmaAccess.Read, second, out _, out _);
            tlb.Reset();
            Assert.That(first.Aborted, Is.EqualTo(1));
            Assert.That(second.Aborted, Is.EqualTo(1));
            Assert.That(tlb.HasLatchedFault, Is.False);
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void QueueOfStalledRequestersIsBounded()
        {
            for(var i = 0; i < SoftwareManagedTlbModel.MaxStalledRequesters; i++)
            {
                Assert.That(tlb.Translate(0x1000UL * (ulong)(i + 1), 1, DmaAccess.Read, new RecordingRequester(), out _, out _), Is.EqualTo(TranslationStatus.Miss));
            }
            var extra = new RecordingRequester();
            Assert.That(tlb.Translate(0x1000_0000, 1, DmaAccess.Read, extra, out _, out _), Is.EqualTo(TranslationStatus.Aborted));
            Assert.That(tlb.Status.HasFlag(TlbStatus.Overrun), Is.True);
            Assert.That(tlb.QueuedFaults, Is.EqualTo(SoftwareManagedTlbModel.MaxStalledRequesters - 1));
        }

        private SoftwareManagedTlbModel tlb;
        private RecordingHost host;
    }
}
