using NUnit.Framework;
using RenodeFrameAlloc.Devices.Tests.Tlb;
using RenodeFrameAlloc.Tests;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Renode snapshots a machine with Migrant, field by field; SnapshotCopier copies an object
    // graph the same way and refuses what Migrant could not carry (delegates, threads, statics).
    // A copy taken in the middle of a transfer must finish exactly as the original does.
    public class SnapshotTests
    {
        [Test]
        public void ATimedChainSnapshottedMidwayFinishesTheSame()
        {
            var rig = new DmaRig(bandwidth: 1_000_000_000);
            var data = rig.Fill(0x10_0000, 3 * 8192, 21);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 8192, DmaDescriptorControl.None, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x10_2000, 0x20_2000, 8192, DmaDescriptorControl.None, next: 0x1040);
            rig.PutDescriptor(0x1040, 0x10_4000, 0x20_4000, 8192, DmaDescriptorControl.EndOfChain);
            rig.Start(0, 0x1000);
            rig.Host.Advance(10_000);
            Assert.That(rig.Status(0) & StatusBusy, Is.Not.Zero, "the chain is in flight at the snapshot");

            var copier = new SnapshotCopier();
            var restored = copier.Copy(rig);

            rig.Host.Advance(1_000_000);
            restored.Host.Advance(1_000_000);
            foreach(var r in new[] { rig, restored })
            {
                Assert.That(r.Status(0) & (StatusDone | StatusError | StatusBusy), Is.EqualTo(StatusDone));
                Assert.That(r.BytesDone(0), Is.EqualTo(3UL * 8192));
                Assert.That(r.Ram.Read(0x20_0000, 3 * 8192), Is.EqualTo(data));
            }
            Assert.That(restored.Host.Now, Is.EqualTo(rig.Host.Now));
            copier.VerifyStaticTablesUnchanged();
        }

        [Test]
        public void AChannelStalledOnATlbMissResumesAfterALoad()
        {
            var board = new Board();
            var data = board.Rig.Fill(0x10_0000, 2 * 4096, 8);
            board.Tlb.WriteIndexed(0, new TlbEntry(0x40_0000, 0x73_0000, Initiator, true, true));
            board.Rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 2 * 4096, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            board.Rig.Start(0, 0x1000);
            Assert.That(board.Rig.Status(0) & StatusWaitingOnTlb, Is.Not.Zero);

            var restored = new SnapshotCopier().Copy(board);

            // The restored machine's guest refills and resumes; the original is still stalled.
            restored.Refill(0x40_1000, 0x21_5000);
            Assert.That(restored.Rig.Status(0) & StatusDone, Is.Not.Zero);
            Assert.That(restored.Rig.Ram.Read(0x73_0000, 4096), Is.EqualTo(data[..4096]));
            Assert.That(restored.Rig.Ram.Read(0x21_5000, 4096), Is.EqualTo(data[4096..]));
            Assert.That(board.Rig.Status(0) & StatusWaitingOnTlb, Is.Not.Zero, "the copy shares no state with the original");
            Assert.That(board.Rig.Ram.Read(0x21_5000, 4096), Is.Not.EqualTo(data[4096..]));

            board.Refill(0x40_1000, 0x21_5000);
            Assert.That(board.Rig.Ram.Read(0x21_5000, 4096), Is.EqualTo(data[4096..]));
        }

        private const int Initiator = 7;

        // The DMA engine behind the software TLB, as one object graph like a machine's.
        private sealed class Board
        {
            public Board()
            {
                Host = new RecordingHost();
                Rig = new DmaRig();
                Tlb = new SoftwareManagedTlbModel(16, 0, Rig.Ram, Host);
                Registers = new SoftwareManagedTlbRegisters(Tlb);
                Rig.Engine.Translator = Tlb;
            }

            public void Refill(ulong virtualAddress, ulong physicalAddress)
            {
                Registers.Write(TlbRegisterMap.EntryVirtualLow, (uint)virtualAddress);
                Registers.Write(TlbRegisterMap.EntryVirtualHigh, (uint)(virtualAddress >> 32));
                Registers.Write(TlbRegisterMap.EntryPhysicalLow, (uint)physicalAddress);
                Registers.Write(TlbRegisterMap.EntryPhysicalHigh, (uint)(physicalAddress >> 32));
                Registers.Write(TlbRegisterMap.EntryAttributes, Initiator | TlbRegisterMap.AttributeValid | TlbRegisterMap.AttributeRead | TlbRegisterMap.AttributeWrite);
                Registers.Write(TlbRegisterMap.Command, TlbRegisterMap.CommandWriteRandom);
                Registers.Write(TlbRegisterMap.Command, TlbRegisterMap.CommandResume);
            }

            public readonly DmaRig Rig;
            public readonly RecordingHost Host;
            public readonly SoftwareManagedTlbModel Tlb;
            public readonly SoftwareManagedTlbRegisters Registers;
        }
    }
}
