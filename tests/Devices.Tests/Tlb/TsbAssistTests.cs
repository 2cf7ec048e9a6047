using System;
using System.Buffers.Binary;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    public class TsbAssistTests
    {
        [SetUp]
        public void SetUp()
        {
            ram = new PhysicalRam(new[] { new BusRange("ram", RamBase, 8 << 20) });
            host = new RecordingHost();
            tlb = new SoftwareManagedTlbModel(8, 2, ram, host);
            Assert.That(tlb.ConfigureTsb(TsbBase, TsbLog2, true), Is.True);
        }

        [Test]
        public void TsbHitTranslatesWithoutInterruptAndLoadsANonWiredSlot()
        {
            // Written by hand in the documented layout, not with the model's encoder.
            WriteTsbSlot((0x4000_3000UL >> 12) & (TsbEntries - 1), 0x4000_3000UL | 7, RamBase + 0x5000 | Valid | Read | Write);
            var requester = new RecordingRequester();
            var status = tlb.Translate(0x4000_3123, 7, DmaAccess.Write, requester, out var physical, out var room);
            Assert.That(status, Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(RamBase + 0x5123));
            Assert.That(room, Is.EqualTo(0x1000UL - 0x123));
            Assert.That(host.InterruptChanges, Is.Zero);
            Assert.That(tlb.HasLatchedFault, Is.False);
            var slot = tlb.Probe(0x4000_3000, 7);
            Assert.That(slot, Is.InRange(2, 7), "loaded into a non-wired slot");
            Assert.That(tlb.TsbRefills, Is.EqualTo(1UL));
            Assert.That(tlb.Misses, Is.EqualTo(1UL));
            // The next access hits the TLB and does not read the TSB again.
            WriteTsbSlot((0x4000_3000UL >> 12) & (TsbEntries - 1), 0, 0);
            Assert.That(tlb.Translate(0x4000_3000, 7, DmaAccess.Read, requester, out _, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(tlb.Hits, Is.EqualTo(1UL));
        }

        [Test]
        public void TsbMissInterrupts()
        {
            var requester = new RecordingRequester();
            Assert.That(tlb.Translate(0x4000_3000, 7, DmaAccess.Read, requester, out _, out _), Is.EqualTo(TranslationStatus.Miss));
            Assert.That(host.Interrupt, Is.True);
            Assert.That(tlb.TsbRefills, Is.Zero);
        }

        [Test]
        public void TsbEntryForAnotherInitiatorOrPageDoesNotMatch()
        {
            var slot = (0x4000_3000UL >> 12) & (TsbEntries - 1);
            WriteTsbSlot(slot, 0x4000_3000UL | 8, RamBase | Valid | Read);
            Assert.That(tlb.Translate(0x4000_3000, 7, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted), "other initiator");
            tlb.Resume();
            // Same slot index, different page (aliasing in the direct-mapped table).
            var alias = 0x4000_3000UL + ((ulong)TsbEntries << 12);
            WriteTsbSlot(slot, alias | 7, RamBase | Valid | Read);
            Assert.That(tlb.Translate(0x4000_3000, 7, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted), "other page");
            tlb.Resume();
            WriteTsbSlot(slot, 0x4000_3000UL | 7, RamBase | Read);
            Assert.That(tlb.Translate(0x4000_3000, 7, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted), "valid bit clear");
        }

        [Test]
        public void GlobalTsbEntryMatchesAnyInitiator()
        {
            WriteTsbSlot((0x9000UL >> 12) & (TsbEntries - 1), 0x9000UL | 1, RamBase + 0x2000 | Valid | Read | Global);
            Assert.That(tlb.Translate(0x9010, 44, DmaAccess.Read, null, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(RamBase + 0x2010));
        }

        [Test]
        public void LargeTsbEntryIsFoundAtTheTwoMegabyteIndex()
        {
            const ulong va = 0x1_2340_0000;
            WriteTsbSlot((va >> 21) & (TsbEntries - 1), va | 3, RamBase + 0x20_0000 | Valid | Read | Write | Large);
            Assert.That(tlb.Translate(va + 0x1_2345, 3, DmaAccess.Write, null, out var physical, out var room), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(RamBase + 0x20_0000 + 0x1_2345));
            Assert.That(room, Is.EqualTo(0x20_0000UL - 0x1_2345));
            Assert.That(tlb.GetEntry(tlb.Probe(va, 3)).Size, Is.EqualTo(TlbPageSize.Size2MiB));
        }

        [Test]
        public void LoadedLargeTsbEntryReplacesTheSmallEntriesItCovers()
        {
            const ulong va = 0x40_0000;
            tlb.WriteIndexed(5, new TlbEntry(va + 0x1000, RamBase + 0x7000, 3, true, true));
            WriteTsbSlot((va >> 21) & (TsbEntries - 1), va | 3, RamBase + 0x20_0000 | Valid | Read | Large);
            Assert.That(tlb.Translate(va, 3, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(tlb.GetEntry(5).Valid, Is.False, "the 4 KiB entry inside the loaded 2 MiB page is gone");
            Assert.That(tlb.Translate(va + 0x1000, 3, DmaAccess.Read, null, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(RamBase + 0x20_1000));
        }

        [Test]
        public void LoadedGlobalTsbEntryReplacesAnotherInitiatorsEntryForThatPage()
        {
            tlb.WriteIndexed(5, new TlbEntry(0x9000, RamBase + 0x7000, 2, true, true));
            WriteTsbSlot((0x9000UL >> 12) & (TsbEntries - 1), 0x9000UL, RamBase + 0x2000 | Valid | Read | Global);
            Assert.That(tlb.Translate(0x9000, 1, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(tlb.GetEntry(5).Valid, Is.False);
            Assert.That(tlb.Translate(0x9000, 2, DmaAccess.Read, null, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(RamBase + 0x2000));
        }

        [Test]
        public void TsbEntryWithoutWriteRightGivesAPermissionFault()
        {
            WriteTsbSlot((0x9000UL >> 12) & (TsbEntries - 1), 0x9000UL | 1, RamBase + 0x2000 | Valid | Read);
            var requester = new RecordingRequester();
            Assert.That(tlb.Translate(0x9000, 1, DmaAccess.Write, requester, out _, out _), Is.EqualTo(TranslationStatus.PermissionFault));
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(TlbFaultCause.Permission));
        }

        [Test]
        public void WithEverySlotWiredTheTsbEntryIsUsedButNotLoaded()
        {
            tlb.SetWired(8);
            WriteTsbSlot((0x9000UL >> 12) & (TsbEntries - 1), 0x9000UL | 1, RamBase + 0x2000 | Valid | Read);
            Assert.That(tlb.Translate(0x9000, 1, DmaAccess.Read, null, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(RamBase + 0x2000));
            Assert.That(tlb.Probe(0x9000, 1), Is.EqualTo(-1));
        }

        [Test]
        public void MalformedTsbEntryIsIgnoredAndFlagged()
        {
            const ulong va = 0x40_0000;
            // 2 MiB entry whose physical page is only 4 KiB aligned.
            WriteTsbSlot((va >> 21) & (TsbEntries - 1), va | 3, RamBase + 0x1000 | Valid | Read | Large);
            Assert.That(tlb.Translate(va, 3, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted));
            Assert.That(tlb.Status.HasFlag(TlbStatus.TsbError), Is.True);
        }

        [Test]
        public void TsbOutsideMemoryIsAnErrorAndAPlainMiss()
        {
            Assert.That(tlb.ConfigureTsb(0x1000, TsbLog2, true), Is.True);
            var requester = new RecordingRequester();
            Assert.That(tlb.Translate(0x9000, 1, DmaAccess.Read, requester, out _, out _), Is.EqualTo(TranslationStatus.Miss));
            Assert.That(tlb.Status.HasFlag(TlbStatus.TsbError), Is.True);
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(TlbFaultCause.Miss));
            Assert.That(host.Messages, Is.Not.Empty);
        }

        [Test]
        public void DisabledTsbIsNotRead()
        {
            WriteTsbSlot((0x9000UL >> 12) & (TsbEntries - 1), 0x9000UL | 1, RamBase + 0x2000 | Valid | Read);
            tlb.ConfigureTsb(TsbBase, TsbLog2, false);
            Assert.That(tlb.Translate(0x9000, 1, DmaAccess.Read, null, out _, out _), Is.EqualTo(TranslationStatus.Aborted));
        }

        [TestCase(0x8000_0008UL, 4, true, TestName = "misaligned base")]
        [TestCase(0x8000_0000UL, 21, true, TestName = "too many entries")]
        [TestCase(0xFFFF_FFFF_FFFF_FF00UL, 8, true, TestName = "wraps around")]
        public void BadTsbConfigurationIsRefusedAndTurnsTheAssistOff(ulong baseAddress, int log2, bool enable)
        {
            Assert.That(tlb.ConfigureTsb(baseAddress, log2, enable), Is.False);
            Assert.That(tlb.TsbEnabled, Is.False);
            Assert.That(tlb.Status.HasFlag(TlbStatus.CommandError), Is.True);
        }

        [Test]
        public void TlbWithoutMemoryRefusesToEnableTheTsb()
        {
            var bare = new SoftwareManagedTlbModel(8, 0, null, host);
            Assert.That(bare.ConfigureTsb(TsbBase, TsbLog2, true), Is.False);
            Assert.That(bare.TsbEnabled, Is.False);
        }

        [Test]
        public void EncoderMatchesTheDocumentedLayout()
        {
            var entry = new TlbEntry(0x1_2340_0000, 0x8060_0000, 0xABC, true, false, TlbPageSize.Size2MiB, global: true);
            var bytes = new byte[TsbEntryFormat.EntryBytes];
            TsbEntryFormat.Encode(entry, bytes);
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(bytes), Is.EqualTo(0x1_2340_0ABCUL));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)), Is.EqualTo(0x8060_0000UL | Valid | Read | Large | Global));
            var decoded = TsbEntryFormat.Decode(0x1_2340_0ABCUL, 0x8060_0000UL | Valid | Read | Large | Global, out var wellFormed);
            Assert.That(wellFormed, Is.True);
            Assert.That(decoded, Is.EqualTo(entry));
        }

        private void WriteTsbSlot(ulong slot, ulong tag, ulong data)
        {
            var bytes = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, tag);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), data);
            ram.Write(TsbBase + slot * 16, bytes);
        }

        private PhysicalRam ram;
        private RecordingHost host;
        private SoftwareManagedTlbModel tlb;

        private const ulong RamBase = 0x8000_0000;
        private const ulong TsbBase = RamBase + 0x40_0000;
        private const int TsbLog2 = 8;
        private const int TsbEntries = 1 << TsbLog2;
        private const ulong Valid = 1;
        private const ulong Read = 2;
        private const ulong Write = 4;
        private const ulong Large = 8;
        private const ulong Global = 16;
    }
}
