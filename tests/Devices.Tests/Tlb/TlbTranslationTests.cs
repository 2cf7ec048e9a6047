using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    public class TlbTranslationTests
    {
        [SetUp]
        public void SetUp()
        {
            host = new RecordingHost();
            tlb = new SoftwareManagedTlbModel(16, 0, null, host);
        }

        [Test]
        public void SmallPageTranslatesOffsetAndReportsRoomToPageEnd()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x4000_0000, 0x8765_4000, 1, true, true));
            var status = tlb.Translate(0x4000_0ABC, 1, DmaAccess.Read, null, out var physical, out var room);
            Assert.That(status, Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(0x8765_4ABCUL));
            Assert.That(room, Is.EqualTo(0x1000UL - 0xABC));
        }

        [Test]
        public void LargePageTranslatesOffsetAndReportsRoomToPageEnd()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x1_0000_0000, 0x8060_0000, 1, true, true, TlbPageSize.Size2MiB));
            var status = tlb.Translate(0x1_0012_3456, 1, DmaAccess.Write, null, out var physical, out var room);
            Assert.That(status, Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(0x8072_3456UL));
            Assert.That(room, Is.EqualTo(0x20_0000UL - 0x12_3456));
        }

        [Test]
        public void LastByteOfAPageHasRoomOne()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x3000, 0x7000, 1, true, true));
            tlb.Translate(0x3FFF, 1, DmaAccess.Read, null, out var physical, out var room);
            Assert.That(physical, Is.EqualTo(0x7FFFUL));
            Assert.That(room, Is.EqualTo(1UL));
        }

        [Test]
        public void EntriesAreSeparatedByInitiator()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x1000, 1, true, true));
            tlb.WriteIndexed(1, new TlbEntry(0x5000, 0x2000, 2, true, true));
            tlb.Translate(0x5010, 1, DmaAccess.Read, null, out var forOne, out _);
            tlb.Translate(0x5010, 2, DmaAccess.Read, null, out var forTwo, out _);
            Assert.That(forOne, Is.EqualTo(0x1010UL));
            Assert.That(forTwo, Is.EqualTo(0x2010UL));
            Assert.That(tlb.Translate(0x5010, 3, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted));
        }

        [Test]
        public void GlobalEntryServesEveryInitiator()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x1000, 0, true, true, global: true));
            foreach(var id in new[] { 0, 1, 17, 4095 })
            {
                Assert.That(tlb.Translate(0x5004, id, DmaAccess.Read, null, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
                Assert.That(physical, Is.EqualTo(0x1004UL));
            }
        }

        [Test]
        public void ReadOnlyEntryRefusesWritesWithPermissionFault()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x1000, 1, true, false));
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Write, null, out _, out _), Is.EqualTo(TranslationStatus.PermissionFault));
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(TlbFaultCause.Permission));
            Assert.That(tlb.LatchedFault.Access, Is.EqualTo(DmaAccess.Write));
        }

        [Test]
        public void WriteOnlyEntryRefusesReadsWithPermissionFault()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x5000, 0x1000, 1, false, true));
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Write, null, out _, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.PermissionFault));
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(TlbFaultCause.Permission));
        }

        [Test]
        public void InvalidatedEntryNoLongerTranslatesEvenAfterRepeatedHits()
        {
            tlb.WriteIndexed(4, new TlbEntry(0x5000, 0x1000, 1, true, true));
            for(var i = 0; i < 3; i++)
            {
                Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Ok));
            }
            tlb.InvalidatePage(0x5000, 1);
            Assert.That(tlb.Translate(0x5000, 1, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted));
        }

        [Test]
        public void ReplacedEntryTranslatesToTheNewFrameAfterRepeatedHits()
        {
            tlb.WriteIndexed(4, new TlbEntry(0x5000, 0x1000, 1, true, true));
            tlb.Translate(0x5000, 1, DmaAccess.Read, null, out var before, out _);
            tlb.WriteIndexed(4, new TlbEntry(0x5000, 0x3000, 1, true, true));
            tlb.Translate(0x5000, 1, DmaAccess.Read, null, out var after, out _);
            Assert.That(before, Is.EqualTo(0x1000UL));
            Assert.That(after, Is.EqualTo(0x3000UL));
        }

        [Test]
        public void PeekTranslatesWithoutCountingOrFaulting()
        {
            tlb.WriteIndexed(4, new TlbEntry(0x5000, 0x1000, 1, true, false));
            Assert.That(tlb.TryPeek(0x5008, 1, out var physical, out var entry), Is.True);
            Assert.That(physical, Is.EqualTo(0x1008UL));
            Assert.That(entry.Writable, Is.False);
            Assert.That(tlb.TryPeek(0x9000, 1, out _, out _), Is.False);
            Assert.That(tlb.Hits + tlb.Misses + tlb.Faults, Is.EqualTo(0UL));
            Assert.That(tlb.HasLatchedFault, Is.False);
        }

        private SoftwareManagedTlbModel tlb;
        private RecordingHost host;
    }
}
