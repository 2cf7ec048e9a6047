using System;
using System.Buffers.Binary;
using System.Linq;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals.Tests.Snapshots;
using RenodeFrameAlloc.StandIn.Testing;
using static RenodeFrameAlloc.Tests.TlbRegisterMap;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Peripherals.Tests.Tlb
{
    public class SoftwareManagedTlbTests
    {
        [SetUp]
        public void SetUp()
        {
            LogCapture.Clear();
            rig = new TlbRig();
        }

        [Test]
        public void RegistersAreReachableThroughTheSystemBus()
        {
            Assert.That(rig.Read(Capabilities) & 0xFFFF, Is.EqualTo(16u));
            Assert.That(rig.Read(Wired), Is.EqualTo(2u));
            rig.Write(IndexRegister, 5);
            rig.Write(EntryVirtualLow, 0x4000_1000);
            rig.Write(EntryPhysicalLow, 0x8000_2000);
            rig.Write(EntryAttributes, 3 | AttributeValid | AttributeRead);
            rig.Write(Command, CommandWriteIndexed);
            Assert.That(rig.Tlb.Model.GetEntry(5), Is.EqualTo(new TlbEntry(0x4000_1000, 0x8000_2000, 3, true, false)));
            rig.Write(EntryVirtualLow, 0);
            rig.Write(Command, CommandRead);
            Assert.That(rig.Read(EntryVirtualLow), Is.EqualTo(0x4000_1000u));
        }

        [Test]
        public void IrqFollowsAStalledFaultUntilResume()
        {
            var waiter = new Waiter();
            Assert.That(rig.Tlb.Translate(0x5000, 1, DmaAccess.Read, waiter, out _, out _), Is.EqualTo(TranslationStatus.Miss));
            Assert.That(rig.Tlb.IRQ.IsSet, Is.True);
            rig.Map(0x5000, 0x8000_5000, 1);
            rig.Write(Command, CommandResume);
            Assert.That(rig.Tlb.IRQ.IsSet, Is.False);
            Assert.That(waiter.Resolved, Is.True);
        }

        [Test]
        public void StockInitiatorBehindTheTlbCrossesPagesIntoDistinctFrames()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            var frames = new ulong[] { 0x8030_0000, 0x8011_7000, 0x8052_2000 };
            var sourceFrames = new ulong[] { 0x8070_1000, 0x8020_4000, 0x8066_6000 };
            for(var i = 0; i < 3; i++)
            {
                rig.Map(0x4000_0000 + (ulong)i * 0x1000, sourceFrames[i], 9, write: false);
                rig.Map(0x5000_0000 + (ulong)i * 0x1000, frames[i], 9);
            }
            var data = new byte[3 * 4096 - 0x100];
            new Random(5).NextBytes(data);
            // Source starts 0x80 into its first page, destination 0x40 into its first page.
            var sourceImage = new byte[3 * 4096];
            data.CopyTo(sourceImage, 0x80);
            for(var i = 0; i < 3; i++)
            {
                rig.Ram.Write(sourceFrames[i], sourceImage.AsSpan(i * 4096, 4096));
            }

            rig.StartCopy(0x4000_0080, 0x5000_0040, (uint)data.Length);

            var written = new byte[3 * 4096];
            for(var i = 0; i < 3; i++)
            {
                rig.Ram.Read(frames[i], 4096).CopyTo(written, i * 4096);
            }
            Assert.That(written.AsSpan(0x40, data.Length).SequenceEqual(data), Is.True, "bytes landed in the mapped frames in order");
            Assert.That(rig.Ram.Read(0x8030_0000, 0x40), Is.All.EqualTo(0), "nothing before the destination");
            Assert.That(rig.Tlb.IRQ.IsSet, Is.False);
            Assert.That(rig.Tlb.Faults, Is.Zero);
            Assert.That(rig.Tlb.Hits, Is.EqualTo(6UL), "one translation per page of each side");
        }

        [Test]
        public void DoubleWordsThatStraddleAPageAreSplitAcrossFrames()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            rig.Map(0x4000_0000, 0x8010_0000, 9);
            rig.Map(0x5000_0000, 0x8020_0000, 9);
            rig.Map(0x5000_1000, 0x8040_0000, 9);
            rig.Ram.Write(0x8010_0000, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

            // Word-by-word copy to 0x5000_0FFE: the first word straddles the destination pages.
            rig.StartCopy(0x4000_0000, 0x5000_0FFE, 8, mode: 1);

            Assert.That(rig.Ram.Read(0x8020_0FFE, 2), Is.EqualTo(new byte[] { 1, 2 }));
            Assert.That(rig.Ram.Read(0x8040_0000, 6), Is.EqualTo(new byte[] { 3, 4, 5, 6, 7, 8 }));
        }

        [Test]
        public void InitiatorThatCannotWaitHasTheRestOfItsAccessDroppedAndTheFaultLatched()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            rig.Map(0x4000_0000, 0x8010_0000, 9);
            rig.Map(0x4000_1000, 0x8010_1000, 9);
            rig.Map(0x5000_0000, 0x8020_0000, 9);
            // Destination page 0x5000_1000 is not mapped; the frame right after the mapped one must stay untouched.
            var data = rig.Fill(0x8010_0000, 2 * 4096, 6);

            rig.StartCopy(0x4000_0000, 0x5000_0000, 2 * 4096);

            Assert.That(rig.Ram.Read(0x8020_0000, 4096), Is.EqualTo(data[..4096]), "the mapped page was written");
            Assert.That(rig.Ram.Read(0x8020_1000, 4096), Is.All.EqualTo(0), "nothing written past the fault");
            Assert.That(rig.Tlb.IRQ.IsSet, Is.True);
            Assert.That(rig.Read(Status) & StatusFaultPending, Is.Not.Zero);
            Assert.That(rig.Read(FaultAddressLow), Is.EqualTo(0x5000_1000u));
            var info = rig.Read(FaultInfo);
            Assert.That(info & 0xFFF, Is.EqualTo(9u));
            Assert.That(info & FaultInfoWrite, Is.Not.Zero);
            Assert.That(info & FaultInfoStalled, Is.Zero, "dropped, not stalled");
            Assert.That(LogCapture.From(rig.Tlb, LogLevel.Warning).Any(e => e.Message.Contains("0x50001000")), Is.True);

            rig.Write(Command, CommandResume);
            Assert.That(rig.Tlb.IRQ.IsSet, Is.False);
        }

        [Test]
        public void DroppedReadReturnsZerosFromTheFaultingPageOn()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            rig.Map(0x4000_0000, 0x8010_0000, 9);
            rig.Map(0x5000_0000, 0x8020_0000, 9);
            rig.Map(0x5000_1000, 0x8020_1000, 9);
            var data = rig.Fill(0x8010_0000, 2 * 4096, 8);
            rig.Fill(0x8020_0000, 2 * 4096, 9);

            rig.StartCopy(0x4000_0000, 0x5000_0000, 2 * 4096);

            Assert.That(rig.Ram.Read(0x8020_0000, 4096), Is.EqualTo(data[..4096]));
            Assert.That(rig.Ram.Read(0x8020_1000, 4096), Is.All.EqualTo(0), "the dropped half of the read came back as zeros");
            Assert.That(rig.Read(FaultAddressLow), Is.EqualTo(0x4000_1000u));
            Assert.That(rig.Read(FaultInfo) & FaultInfoWrite, Is.Zero);
        }

        [Test]
        public void SecondDroppedFaultIsAnOverrun()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            rig.StartCopy(0x4000_0000, 0x5000_0000, 16);
            Assert.That(rig.Read(FaultAddressLow), Is.EqualTo(0x4000_0000u));
            Assert.That(rig.Read(Status), Is.EqualTo(StatusFaultPending | StatusOverrun), "the write faulted too while the read was latched");
        }

        [Test]
        public void TsbAssistServesTheStockInitiatorWithoutInterrupts()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            const ulong tsb = 0x80F0_0000;
            PutTsbEntry(tsb, 0x4000_0000, 0x8010_0000, 9, write: false);
            // Slot (va >> 12) mod 16: 0 for the source, 1 for the destination.
            PutTsbEntry(tsb, 0x5000_1000, 0x8020_0000, 9, write: true);
            rig.Write(TsbBaseLow, (uint)tsb);
            rig.Write(TsbBaseHigh, 0);
            rig.Write(TsbConfig, 1 | (4u << 8));
            var data = rig.Fill(0x8010_0000, 256, 10);

            rig.StartCopy(0x4000_0000, 0x5000_1000, 256);

            Assert.That(rig.Ram.Read(0x8020_0000, 256), Is.EqualTo(data));
            Assert.That(rig.Tlb.IRQ.IsSet, Is.False);
            Assert.That(rig.Tlb.Model.TsbRefills, Is.EqualTo(2UL));
        }

        [Test]
        public void TheTsbAssistReadsThroughARebuiltBusViewAfterASnapshotLoad()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            const ulong tsb = 0x80F0_0000;
            PutTsbEntry(tsb, 0x4000_0000, 0x8010_0000, 9, write: false);
            PutTsbEntry(tsb, 0x5000_1000, 0x8020_0000, 9, write: true);
            rig.Write(TsbBaseLow, (uint)tsb);
            rig.Write(TsbBaseHigh, 0);
            rig.Write(TsbConfig, 1 | (4u << 8));
            var data = rig.Fill(0x8010_0000, 256, 10);

            SimulatedSnapshotLoad.Apply(rig.Tlb);
            rig.StartCopy(0x4000_0000, 0x5000_1000, 256);

            Assert.That(rig.Ram.Read(0x8020_0000, 256), Is.EqualTo(data));
            Assert.That(rig.Tlb.Model.TsbRefills, Is.EqualTo(2UL));
            Assert.That(LogCapture.From(rig.Tlb, LogLevel.Error), Is.Empty);
        }

        [Test]
        public void AddressDecodingQueriesSeeTheTranslatedAddress()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            rig.Map(0x7000_0000, TlbRig.TlbBase, 9);
            var bus = rig.Machine.GetSystemBus(rig.Copier);
            Assert.That(bus.WhatPeripheralIsAt(0x7000_0010), Is.SameAs(rig.Tlb));
            Assert.That(bus.WhatPeripheralIsAt(0x7100_0000), Is.Null);
            rig.Map(0x7200_0000, 0x8010_0000, 9);
            Assert.That(bus.IsMemory(0x7200_0010), Is.True, "a page mapped to RAM");
            Assert.That(bus.IsMemory(0x7000_0010), Is.False, "a page mapped to registers");
            Assert.That(bus.IsMemory(0x7100_0000), Is.False, "an unmapped page");
            Assert.That(rig.Tlb.Faults, Is.Zero, "queries do not fault");
        }

        [Test]
        public void MemoryBehindTheTlbIsCheckedPageByPage()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            // One page mapped to itself, the next one not mapped: physical RAM goes on, the
            // initiator's address space does not.
            rig.Map(0x8010_0000, 0x8010_0000, 9);
            var memory = new SystemBusMemory(rig.Machine.GetSystemBus(rig.Copier));
            Assert.That(memory.IsMemory(0x8010_0000, 0x1000), Is.True);
            Assert.That(memory.IsMemory(0x8010_0000, 0x2000), Is.False);
            Assert.That(rig.Tlb.Faults, Is.Zero, "checks do not fault");
        }

        [Test]
        public void AttachInitiatorRefusesBadIdsAndASecondController()
        {
            Assert.Throws<RecoverableException>(() => rig.Tlb.AttachInitiator(rig.Copier, 4096));
            Assert.Throws<RecoverableException>(() => rig.Tlb.AttachInitiator(rig.Copier, -1));
            Assert.Throws<RecoverableException>(() => rig.Tlb.AttachInitiator(rig.Tlb, 1));
            var other = new SoftwareManagedTlb(rig.Machine);
            other.AttachInitiator(rig.Copier, 1);
            Assert.Throws<RecoverableException>(() => rig.Tlb.AttachInitiator(rig.Copier, 2));
        }

        [TestCase(0, 0)]
        [TestCase(4097, 0)]
        [TestCase(16, 17)]
        [TestCase(16, -1)]
        public void BadConstructionParametersAreConstructionErrors(int entries, int wired)
        {
            Assert.Throws<ConstructionException>(() => new SoftwareManagedTlb(rig.Machine, entries, wired));
        }

        [Test]
        public void WithoutTheAssistTheTsbCannotBeEnabled()
        {
            var bare = new TlbRig(tsbAssist: false);
            Assert.That(bare.Read(Capabilities) & (1u << 16), Is.Zero);
            bare.Write(TsbConfig, 1 | (4u << 8));
            Assert.That(bare.Read(TsbConfig) & 1, Is.Zero);
            Assert.That(bare.Read(Status) & StatusCommandError, Is.Not.Zero);
        }

        [Test]
        public void DumpListsTheEntries()
        {
            rig.Map(0x4000_0000, 0x8010_0000, 9, write: false);
            var table = rig.Tlb.Dump();
            Assert.That(table.GetLength(0), Is.EqualTo(17));
            var row = Enumerable.Range(1, 16).Single(r => table[r, 2] != "-");
            Assert.That(table[row, 2], Is.EqualTo("0x40000000"));
            Assert.That(table[row, 3], Is.EqualTo("0x80100000"));
            Assert.That(table[row, 5], Is.EqualTo("r-"));
            Assert.That(table[row, 6], Is.EqualTo("9"));
            Assert.That(table[1, 1], Is.EqualTo("yes"), "entry 0 is wired");
            Assert.That(rig.Tlb.Statistics(), Does.Contain("refills 1"));
        }

        [Test]
        public void ResetThroughThePeripheralClearsEntriesAndIrq()
        {
            rig.Map(0x4000_0000, 0x8010_0000, 9);
            rig.Tlb.Translate(0x9000, 1, DmaAccess.Read, null, out _, out _);
            Assert.That(rig.Tlb.IRQ.IsSet, Is.True);
            rig.Tlb.Reset();
            Assert.That(rig.Tlb.IRQ.IsSet, Is.False);
            Assert.That(rig.Tlb.Model.Probe(0x4000_0000, 9), Is.EqualTo(-1));
        }

        [Test]
        public void RandomRegisterTrafficAndTransfersNeverThrow()
        {
            rig.Tlb.AttachInitiator(rig.Copier, 9);
            var random = new Random(99);
            var tlbOnlyRam = rig.Ram.Read(TlbRig.RamBase, 1 << 20);
            Assert.DoesNotThrow(() =>
            {
                for(var step = 0; step < 100_000; step++)
                {
                    var offset = (long)random.Next(-4, 0x110) & ~3L;
                    if(random.Next(3) == 0)
                    {
                        rig.Tlb.ReadDoubleWord(offset);
                    }
                    else
                    {
                        rig.Tlb.WriteDoubleWord(offset, (uint)random.NextInt64(0, 1L << 32));
                    }
                }
            });
            // The TLB alone never writes memory, whatever was written to it.
            Assert.That(rig.Ram.Read(TlbRig.RamBase, 1 << 20).AsSpan().SequenceEqual(tlbOnlyRam), Is.True);
            Assert.DoesNotThrow(() =>
            {
                for(var step = 0; step < 2_000; step++)
                {
                    rig.Tlb.WriteDoubleWord((long)random.Next(0, 0x5C) & ~3L, (uint)random.NextInt64(0, 1L << 32));
                    rig.StartCopy((ulong)random.NextInt64(0, 1L << 32), (ulong)random.NextInt64(0, 1L << 32), (uint)random.Next(0, 3 * 4096), (uint)random.Next(2));
                }
            });
        }

        private void PutTsbEntry(ulong tsb, ulong va, ulong pa, uint id, bool write)
        {
            var bytes = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, va | id);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), pa | 1 | 2 | (write ? 4UL : 0));
            rig.Ram.Write(tsb + ((va >> 12) & 15) * 16, bytes);
        }

        private TlbRig rig;

        private sealed class Waiter : ITranslationRequester
        {
            public void TranslationResolved()
            {
                Resolved = true;
            }

            public void TranslationAborted()
            {
            }

            public bool Resolved { get; private set; }
        }
    }
}
