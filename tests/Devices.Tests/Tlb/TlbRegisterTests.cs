using System;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using static RenodeFrameAlloc.Tests.TlbRegisterMap;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    public class TlbRegisterTests
    {
        [SetUp]
        public void SetUp()
        {
            ram = new PhysicalRam(new[] { new BusRange("ram", 0x8000_0000, 1 << 20) });
            host = new RecordingHost();
            tlb = new SoftwareManagedTlbModel(32, 3, ram, host);
            registers = new SoftwareManagedTlbRegisters(tlb);
        }

        [Test]
        public void ResetValues()
        {
            Assert.That(registers.Read(Capabilities), Is.EqualTo(32u | (1u << 16) | (1u << 17) | (1u << 24)));
            Assert.That(registers.Read(IndexRegister), Is.Zero);
            Assert.That(registers.Read(RandomRegister), Is.EqualTo(31u));
            Assert.That(registers.Read(Wired), Is.EqualTo(3u));
            Assert.That(registers.Read(Status), Is.Zero);
            Assert.That(registers.Read(InterruptEnable), Is.EqualTo(0xFu));
            Assert.That(registers.Read(FaultInfo), Is.Zero);
            Assert.That(registers.Read(TsbConfig), Is.Zero);
        }

        [Test]
        public void StagedEntryIsWrittenAtIndexAndReadBack()
        {
            Stage(0x12_3456_7000, 0x9_8765_4000, 0x2A, AttributeValid | AttributeRead);
            registers.Write(IndexRegister, 17);
            registers.Write(Command, CommandWriteIndexed);
            Assert.That(tlb.GetEntry(17), Is.EqualTo(new TlbEntry(0x12_3456_7000, 0x9_8765_4000, 0x2A, true, false)));

            Stage(0, 0, 0, 0);
            registers.Write(Command, CommandRead);
            Assert.That(registers.Read(EntryVirtualLow), Is.EqualTo(0x3456_7000u));
            Assert.That(registers.Read(EntryVirtualHigh), Is.EqualTo(0x12u));
            Assert.That(registers.Read(EntryPhysicalLow), Is.EqualTo(0x8765_4000u));
            Assert.That(registers.Read(EntryPhysicalHigh), Is.EqualTo(0x9u));
            Assert.That(registers.Read(EntryAttributes), Is.EqualTo(0x2Au | AttributeValid | AttributeRead));
        }

        [Test]
        public void LargeGlobalEntryThroughRegisters()
        {
            Stage(0x4060_0000, 0x8020_0000, 0, AttributeValid | AttributeRead | AttributeWrite | AttributeLarge | AttributeGlobal);
            registers.Write(Command, CommandWriteRandom);
            Assert.That(tlb.Translate(0x407F_FFFF, 99, DmaAccess.Write, null, out var physical, out _), Is.EqualTo(TranslationStatus.Ok));
            Assert.That(physical, Is.EqualTo(0x803F_FFFFUL));
        }

        [Test]
        public void RandomWriteUsesAndAdvancesTheRandomRegister()
        {
            var before = registers.Read(RandomRegister);
            Stage(0x5000, 0x8000_0000, 1, AttributeValid | AttributeRead);
            registers.Write(Command, CommandWriteRandom);
            Assert.That(tlb.Probe(0x5000, 1), Is.EqualTo((int)before));
            Assert.That(registers.Read(RandomRegister), Is.EqualTo(before - 1));
        }

        [Test]
        public void ProbeSetsIndexOrTheFailureBit()
        {
            tlb.WriteIndexed(9, new TlbEntry(0x5000, 0x8000_0000, 1, true, true));
            Stage(0x5000, 0, 1, 0);
            registers.Write(Command, CommandProbe);
            Assert.That(registers.Read(IndexRegister), Is.EqualTo(9u));
            Stage(0x6000, 0, 1, 0);
            registers.Write(Command, CommandProbe);
            Assert.That(registers.Read(IndexRegister) & IndexProbeFailed, Is.Not.Zero);
            Assert.That(registers.Read(IndexRegister) & 0xFFFF, Is.EqualTo(9u), "index kept on failure");
        }

        [Test]
        public void InvalidationCommands()
        {
            tlb.WriteIndexed(4, new TlbEntry(0x1000, 0x8000_0000, 1, true, true));
            tlb.WriteIndexed(5, new TlbEntry(0x2000, 0x8000_0000, 1, true, true));
            tlb.WriteIndexed(6, new TlbEntry(0x1000, 0x8000_0000, 2, true, true));
            tlb.WriteIndexed(7, new TlbEntry(0x3000, 0x8000_0000, 3, true, true));
            Stage(0x2000, 0, 1, 0);
            registers.Write(Command, CommandInvalidatePage);
            Assert.That(tlb.Probe(0x2000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x1000, 1), Is.EqualTo(4));
            Stage(0, 0, 1, 0);
            registers.Write(Command, CommandInvalidateInitiator);
            Assert.That(tlb.Probe(0x1000, 1), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x1000, 2), Is.EqualTo(6));
            registers.Write(Command, CommandInvalidateAll);
            Assert.That(tlb.Probe(0x1000, 2), Is.EqualTo(-1));
            Assert.That(tlb.Probe(0x3000, 3), Is.EqualTo(-1));
        }

        [Test]
        public void FaultRegistersDescribeTheLatchedFault()
        {
            tlb.Translate(0x7_1234_5678, 0x123, DmaAccess.Write, new RecordingRequester(), out _, out _);
            tlb.Translate(0x9000, 4, DmaAccess.Read, new RecordingRequester(), out _, out _);
            tlb.Translate(0xA000, 4, DmaAccess.Read, new RecordingRequester(), out _, out _);
            Assert.That(registers.Read(FaultAddressLow), Is.EqualTo(0x1234_5678u));
            Assert.That(registers.Read(FaultAddressHigh), Is.EqualTo(7u));
            var info = registers.Read(FaultInfo);
            Assert.That(info & 0xFFF, Is.EqualTo(0x123u));
            Assert.That(info & FaultInfoWrite, Is.Not.Zero);
            Assert.That((info >> FaultInfoCauseShift) & 0xF, Is.EqualTo(1u));
            Assert.That(info & FaultInfoStalled, Is.Not.Zero);
            Assert.That(info >> FaultInfoQueuedShift, Is.EqualTo(2u));
            Assert.That(registers.Read(Status) & StatusFaultPending, Is.Not.Zero);
        }

        [Test]
        public void StatusIsWriteOneToClear()
        {
            registers.Write(Command, 77);
            registers.Write(Wired, 1000);
            Assert.That(registers.Read(Status), Is.EqualTo(StatusCommandError));
            registers.Write(Status, 0);
            Assert.That(registers.Read(Status), Is.EqualTo(StatusCommandError));
            registers.Write(Status, StatusCommandError);
            Assert.That(registers.Read(Status), Is.Zero);
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void TsbIsConfiguredThroughBaseAndConfig()
        {
            registers.Write(TsbBaseLow, 0x8001_0000);
            registers.Write(TsbBaseHigh, 0);
            registers.Write(TsbConfig, TsbEnable | (6u << TsbSizeShift));
            Assert.That(tlb.TsbEnabled, Is.True);
            Assert.That(tlb.TsbBase, Is.EqualTo(0x8001_0000UL));
            Assert.That(tlb.TsbLog2Entries, Is.EqualTo(6));
            Assert.That(registers.Read(TsbConfig), Is.EqualTo(TsbEnable | (6u << TsbSizeShift)));
            registers.Write(TsbConfig, TsbEnable | (25u << TsbSizeShift));
            Assert.That(tlb.TsbEnabled, Is.False);
            Assert.That(registers.Read(Status) & StatusCommandError, Is.Not.Zero);
        }

        [TestCase(0x5CL)]
        [TestCase(0x100L)]
        [TestCase(0x13L)]
        [TestCase(-4L)]
        public void UnknownOffsetsAreErrorsNotExceptions(long offset)
        {
            Assert.That(registers.Read(offset), Is.Zero);
            registers.Write(offset, 0xFFFF_FFFF);
            Assert.That(registers.Read(Status) & StatusCommandError, Is.Not.Zero);
            Assert.That(host.Messages, Has.Count.EqualTo(2));
        }

        [Test]
        public void WritesToReadOnlyRegistersAreErrorsAndChangeNothing()
        {
            tlb.Translate(0x9000, 4, DmaAccess.Read, new RecordingRequester(), out _, out _);
            registers.Write(FaultAddressLow, 0);
            registers.Write(Hits, 0);
            registers.Write(Capabilities, 0);
            Assert.That(registers.Read(FaultAddressLow), Is.EqualTo(0x9000u));
            Assert.That(registers.Read(Capabilities) & 0xFFFF, Is.EqualTo(32u));
            Assert.That(registers.Read(Status) & StatusCommandError, Is.Not.Zero);
        }

        [Test]
        public void RandomRegisterTrafficNeverThrowsAndNeverWritesMemory()
        {
            var random = new Random(1234);
            var snapshot = ram.Read(0x8000_0000, 1 << 20);
            var stalled = new RecordingRequester();
            for(var step = 0; step < 100_000; step++)
            {
                var offset = random.Next(8) == 0 ? random.Next(-8, 0x200) : random.Next(0, 0x5C / 4 + 1) * 4;
                var value = (uint)random.Next() ^ ((uint)random.Next(2) << 31);
                if(random.Next(3) == 0)
                {
                    registers.Read(offset);
                }
                else
                {
                    registers.Write(offset, value);
                }
                if(step % 16 == 0)
                {
                    tlb.Translate((ulong)random.NextInt64(), random.Next(0, 0x1000), (DmaAccess)random.Next(2),
                        random.Next(2) == 0 ? null : stalled, out _, out _);
                }
            }
            // SequenceEqual: NUnit's element-wise comparison of a 1 MiB array takes seconds.
            Assert.That(ram.Read(0x8000_0000, 1 << 20).AsSpan().SequenceEqual(snapshot), Is.True, "the TLB wrote guest memory");
        }

        private void Stage(ulong va, ulong pa, uint id, uint flags)
        {
            registers.Write(EntryVirtualLow, (uint)va);
            registers.Write(EntryVirtualHigh, (uint)(va >> 32));
            registers.Write(EntryPhysicalLow, (uint)pa);
            registers.Write(EntryPhysicalHigh, (uint)(pa >> 32));
            registers.Write(EntryAttributes, id | flags);
        }

        private PhysicalRam ram;
        private RecordingHost host;
        private SoftwareManagedTlbModel tlb;
        private SoftwareManagedTlbRegisters registers;
    }
}
