using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    public class TlbEntryManagementTests
    {
        [SetUp]
        public void SetUp()
        {
            host = new RecordingHost();
            tlb = new SoftwareManagedTlbModel(8, 2, null, host);
        }

        [Test]
        public void IndexedWriteIsReadBack()
        {
            var entry = new TlbEntry(0x4000_0000, 0x8012_3000, 5, true, false);
            Assert.That(tlb.WriteIndexed(6, entry), Is.True);
            Assert.That(tlb.GetEntry(6), Is.EqualTo(entry));
            Assert.That(tlb.GetEntry(5).Valid, Is.False);
        }

        [Test]
        public void IndexedWriteMayTargetWiredSlots()
        {
            var entry = new TlbEntry(0x1000, 0x2000, 1, true, true);
            Assert.That(tlb.WriteIndexed(0, entry), Is.True);
            Assert.That(tlb.GetEntry(0), Is.EqualTo(entry));
        }

        [Test]
        public void RandomWritesCycleThroughNonWiredSlotsOnly()
        {
            var used = new List<int>();
            for(var i = 0; i < 12; i++)
            {
                used.Add(tlb.WriteRandom(new TlbEntry(0x10000UL + (ulong)i * 0x1000, 0x20000, 1, true, true)));
            }
            Assert.That(used, Has.All.InRange(2, 7));
            // Six non-wired slots: each is used once before any is reused.
            Assert.That(used.GetRange(0, 6), Is.Unique);
            Assert.That(used.GetRange(6, 6), Is.EqualTo(used.GetRange(0, 6)));
        }

        [Test]
        public void RandomWriteNeverEvictsAWiredEntry()
        {
            var wiredEntry = new TlbEntry(0x7000, 0x9000, 3, true, true);
            tlb.WriteIndexed(1, wiredEntry);
            for(var i = 0; i < 40; i++)
            {
                tlb.WriteRandom(new TlbEntry(0x100000UL + (ulong)i * 0x1000, 0x20000, 1, true, true));
            }
            Assert.That(tlb.GetEntry(1), Is.EqualTo(wiredEntry));
        }

        [Test]
        public void SettingWiredRestartsRandomAtTheTop()
        {
            tlb.WriteRandom(new TlbEntry(0x1000, 0x1000, 0, true, true));
            Assert.That(tlb.RandomIndex, Is.EqualTo(6));
            Assert.That(tlb.SetWired(4), Is.True);
            Assert.That(tlb.RandomIndex, Is.EqualTo(7));
            Assert.That(tlb.WriteRandom(new TlbEntry(0x2000, 0x1000, 0, true, true)), Is.EqualTo(7));
            Assert.That(tlb.WriteRandom(new TlbEntry(0x3000, 0x1000, 0, true, true)), Is.EqualTo(6));
            Assert.That(tlb.WriteRandom(new TlbEntry(0x4000, 0x1000, 0, true, true)), Is.EqualTo(5));
            Assert.That(tlb.WriteRandom(new TlbEntry(0x5000, 0x1000, 0, true, true)), Is.EqualTo(4));
            Assert.That(tlb.WriteRandom(new TlbEntry(0x6000, 0x1000, 0, true, true)), Is.EqualTo(7));
        }

        [Test]
        public void RandomWriteWithEverySlotWiredIsAnError()
        {
            tlb.SetWired(8);
            Assert.That(tlb.WriteRandom(new TlbEntry(0x1000, 0x1000, 0, true, true)), Is.EqualTo(-1));
            Assert.That(tlb.Status.HasFlag(TlbStatus.CommandError), Is.True);
            Assert.That(host.Interrupt, Is.True);
            Assert.That(host.Messages, Has.Count.EqualTo(1));
        }

        [TestCase(-1)]
        [TestCase(9)]
        public void BadWiredCountIsRefused(int count)
        {
            Assert.That(tlb.SetWired(count), Is.False);
            Assert.That(tlb.Wired, Is.EqualTo(2));
            Assert.That(tlb.Status.HasFlag(TlbStatus.CommandError), Is.True);
        }

        [Test]
        public void MisalignedOrBadEntriesAreRefusedWithoutChange()
        {
            var good = new TlbEntry(0x200000, 0x400000, 1, true, true, TlbPageSize.Size2MiB);
            tlb.WriteIndexed(3, good);
            Assert.That(tlb.WriteIndexed(3, new TlbEntry(0x201000, 0x400000, 1, true, true, TlbPageSize.Size2MiB)), Is.False, "2 MiB virtual page not 2 MiB aligned");
            Assert.That(tlb.WriteIndexed(3, new TlbEntry(0x200000, 0x401000, 1, true, true, TlbPageSize.Size2MiB)), Is.False, "2 MiB physical page not 2 MiB aligned");
            Assert.That(tlb.WriteIndexed(3, new TlbEntry(0x1001, 0x2000, 1, true, true)), Is.False, "4 KiB page not aligned");
            Assert.That(tlb.WriteIndexed(3, new TlbEntry(0x1000, 0x2000, 4096, true, true)), Is.False, "id wider than 12 bits");
            Assert.That(tlb.WriteIndexed(8, new TlbEntry(0x1000, 0x2000, 1, true, true)), Is.False, "index out of range");
            Assert.That(tlb.GetEntry(3), Is.EqualTo(good));
            Assert.That(host.Messages, Has.Count.EqualTo(5));
        }

        [Test]
        public void ProbeFindsTheEntryThatTranslates()
        {
            tlb.WriteIndexed(4, new TlbEntry(0x5000, 0x9000, 7, true, true));
            tlb.WriteIndexed(5, new TlbEntry(0x600000, 0xA00000, 7, true, true, TlbPageSize.Size2MiB));
            Assert.That(tlb.Probe(0x5FFF, 7), Is.EqualTo(4));
            Assert.That(tlb.Probe(0x7FFFFF, 7), Is.EqualTo(5));
            Assert.That(tlb.Probe(0x5000, 8), Is.EqualTo(-1), "other initiator");
            Assert.That(tlb.Probe(0x6000, 7), Is.EqualTo(-1), "other page");
        }

        [Test]
        public void InvalidateAllClearsWiredEntriesToo()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x1000, 0x1000, 1, true, true));
            tlb.WriteIndexed(5, new TlbEntry(0x2000, 0x1000, 2, true, true));
            Assert.That(tlb.InvalidateAll(), Is.EqualTo(2));
            Assert.That(tlb.Probe(0x1000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x2000, 2), Is.EqualTo(-1));
        }

        [Test]
        public void InvalidateByInitiatorSparesOthersAndGlobals()
        {
            tlb.WriteIndexed(2, new TlbEntry(0x1000, 0x1000, 1, true, true));
            tlb.WriteIndexed(3, new TlbEntry(0x2000, 0x1000, 1, true, true));
            tlb.WriteIndexed(4, new TlbEntry(0x1000, 0x3000, 2, true, true));
            tlb.WriteIndexed(5, new TlbEntry(0x9000, 0x3000, 0, true, true, global: true));
            Assert.That(tlb.InvalidateInitiator(1), Is.EqualTo(2));
            Assert.That(tlb.Probe(0x1000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x2000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x1000, 2), Is.EqualTo(4));
            Assert.That(tlb.Probe(0x9000, 1), Is.EqualTo(5));
        }

        [Test]
        public void InvalidatePageRemovesOnlyWhatTranslatesThatPageForThatInitiator()
        {
            tlb.WriteIndexed(2, new TlbEntry(0x1000, 0x1000, 1, true, true));
            tlb.WriteIndexed(3, new TlbEntry(0x2000, 0x1000, 1, true, true));
            tlb.WriteIndexed(4, new TlbEntry(0x1000, 0x3000, 2, true, true));
            tlb.WriteIndexed(5, new TlbEntry(0x400000, 0x800000, 1, true, true, TlbPageSize.Size2MiB));
            Assert.That(tlb.InvalidatePage(0x1000, 1), Is.EqualTo(1));
            Assert.That(tlb.Probe(0x1000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x2000, 1), Is.EqualTo(3));
            Assert.That(tlb.Probe(0x1000, 2), Is.EqualTo(4));
            // Any address inside a 2 MiB page names that page.
            Assert.That(tlb.InvalidatePage(0x5FF000, 1), Is.EqualTo(1));
            Assert.That(tlb.Probe(0x400000, 1), Is.EqualTo(-1));
        }

        [Test]
        public void WritingAnOverlappingEntryReplacesTheOldOne()
        {
            tlb.WriteIndexed(3, new TlbEntry(0x5000, 0x9000, 1, true, false));
            var slot = tlb.WriteRandom(new TlbEntry(0x5000, 0xA000, 1, true, true));
            Assert.That(tlb.GetEntry(3).Valid, Is.False);
            Assert.That(tlb.Probe(0x5000, 1), Is.EqualTo(slot));
            // A 2 MiB entry swallows the 4 KiB ones inside it.
            tlb.WriteIndexed(4, new TlbEntry(0x0, 0x400000, 1, true, true, TlbPageSize.Size2MiB));
            Assert.That(tlb.GetEntry(slot).Valid, Is.False);
        }

        [Test]
        public void WritingAnInvalidEntryClearsTheSlot()
        {
            tlb.WriteIndexed(3, new TlbEntry(0x5000, 0x9000, 1, true, false));
            Assert.That(tlb.WriteIndexed(3, TlbEntry.Invalid), Is.True);
            Assert.That(tlb.Probe(0x5000, 1), Is.EqualTo(-1));
        }

        [Test]
        public void ResetInvalidatesEverythingAndRestoresWired()
        {
            tlb.WriteIndexed(0, new TlbEntry(0x1000, 0x1000, 1, true, true));
            tlb.SetWired(5);
            tlb.SetWired(9);
            tlb.Reset();
            Assert.That(tlb.Probe(0x1000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Wired, Is.EqualTo(2));
            Assert.That(tlb.Status, Is.EqualTo(TlbStatus.None));
            Assert.That(host.Interrupt, Is.False);
        }

        private SoftwareManagedTlbModel tlb;
        private RecordingHost host;
    }
}
