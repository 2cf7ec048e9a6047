using System;
using System.Buffers.Binary;
using NUnit.Framework;
using RenodeFrameAlloc.Tests;
using static RenodeFrameAlloc.Tests.TlbRegisterMap;
using RenodeFrameAlloc.Devices.Dma;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    // The real DMA engine model behind the real TLB model: a descriptor whose destination goes
    // through the TLB stalls on a miss, the guest refills through the TLB's registers and resumes,
    // and the transfer completes with the right bytes.
    public class TlbWithScatterGatherDmaModelTests
    {
        [SetUp]
        public void SetUp()
        {
            host = new RecordingHost();
            rig = new DmaRig();
            tlb = new SoftwareManagedTlbModel(16, 0, rig.Ram, host);
            registers = new SoftwareManagedTlbRegisters(tlb);
            rig.Engine.Translator = tlb;
        }

        [Test]
        public void MissStallsTheChannelUntilTheGuestRefillsAndResumes()
        {
            var data = rig.Fill(0x10_0000, 2 * 4096, 3);
            tlb.WriteIndexed(0, new TlbEntry(0x40_0000, 0x73_0000, DmaInitiator, true, true));
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 2 * 4096, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Status(0) & DmaRegisterMap.StatusWaitingOnTlb, Is.Not.Zero);
            Assert.That(rig.BytesDone(0), Is.EqualTo(4096UL));
            Assert.That(host.Interrupt, Is.True);
            Assert.That(registers.Read(FaultAddressLow), Is.EqualTo(0x40_1000u));
            var info = registers.Read(FaultInfo);
            Assert.That(info & 0xFFF, Is.EqualTo((uint)DmaInitiator));
            Assert.That(info & FaultInfoWrite, Is.Not.Zero);

            StageAndWriteRandom(0x40_1000, 0x21_5000, info & 0xFFF);
            registers.Write(Command, CommandResume);

            Assert.That(host.Interrupt, Is.False);
            Assert.That(rig.Status(0) & DmaRegisterMap.StatusDone, Is.Not.Zero);
            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
            Assert.That(rig.Ram.Read(0x73_0000, 4096), Is.EqualTo(data[..4096]));
            Assert.That(rig.Ram.Read(0x21_5000, 4096), Is.EqualTo(data[4096..]));
        }

        [Test]
        public void PermissionFaultStallsUntilTheGuestGrantsTheRight()
        {
            var data = rig.Fill(0x10_0000, 256, 5);
            tlb.WriteIndexed(0, new TlbEntry(0x40_0000, 0x73_0000, DmaInitiator, true, false));
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 256, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Status(0) & DmaRegisterMap.StatusWaitingOnTlb, Is.Not.Zero);
            Assert.That((registers.Read(FaultInfo) >> FaultInfoCauseShift) & 3, Is.EqualTo(2u), "cause: permission");
            StageAndWriteRandom(0x40_0000, 0x73_0000, DmaInitiator);
            registers.Write(Command, CommandResume);

            Assert.That(rig.Status(0) & DmaRegisterMap.StatusDone, Is.Not.Zero);
            Assert.That(rig.Ram.Read(0x73_0000, 256), Is.EqualTo(data));
        }

        [Test]
        public void GuestAbortStopsTheChannelWithTlbAbort()
        {
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x1000);
            Assert.That(host.Interrupt, Is.True);

            registers.Write(Command, CommandAbort);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.TlbAbort));
            Assert.That(rig.FaultAddress(0), Is.EqualTo(0x40_0000UL));
            Assert.That(host.Interrupt, Is.False);
        }

        [Test]
        public void AChannelAbortedWhileStalledLeavesItsFaultLatchedAsDropped()
        {
            // The handler reads FAULT_INFO after the driver aborted the channel: STALLED 0 tells it
            // that RESUME would restart nothing (docs/software-tlb.md, FAULT_INFO).
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x1000);
            Assert.That(registers.Read(FaultInfo) & FaultInfoStalled, Is.Not.Zero, "stalled while the channel waits");

            rig.ChannelWrite(0, DmaRegisterMap.Control, DmaRegisterMap.ControlAbort);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.Aborted));
            Assert.That(registers.Read(FaultAddressLow), Is.EqualTo(0x40_0000u), "the fault stays latched until acknowledged");
            Assert.That(registers.Read(FaultInfo) & FaultInfoStalled, Is.Zero, "nobody waits any more");
            Assert.That(tlb.LatchedFault.Stalled, Is.False);
        }

        [Test]
        public void ATransferStartedAfterAnAbortedStallWaitsForItsOwnFault()
        {
            // Transfer A stalls on a miss; the driver aborts the channel and starts transfer B,
            // which misses too, before the TLB handler has run. The handler then acknowledges A's
            // fault (abort): that must not abort B, whose own fault is latched next.
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x1000);
            rig.ChannelWrite(0, DmaRegisterMap.Control, DmaRegisterMap.ControlAbort);
            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.Aborted));
            var data = rig.Fill(0x10_0000, 64, 6);
            rig.PutDescriptor(0x2000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x2000);
            Assert.That(rig.Status(0) & DmaRegisterMap.StatusWaitingOnTlb, Is.Not.Zero);
            Assert.That(registers.Read(FaultAddressLow), Is.EqualTo(0x40_0000u), "A's fault stays latched until acknowledged");

            registers.Write(Command, CommandAbort);

            Assert.That(rig.Status(0) & DmaRegisterMap.StatusWaitingOnTlb, Is.Not.Zero, "B still waits");
            Assert.That(host.Interrupt, Is.True);
            Assert.That(registers.Read(FaultAddressLow), Is.EqualTo(0x50_0000u), "B's fault is latched now");
            StageAndWriteRandom(0x50_0000, 0x73_0000, DmaInitiator);
            registers.Write(Command, CommandResume);
            Assert.That(rig.Status(0) & DmaRegisterMap.StatusDone, Is.Not.Zero);
            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
            Assert.That(rig.Ram.Read(0x73_0000, 64), Is.EqualTo(data));
        }

        [Test]
        public void TsbAssistLetsTheTransferRunWithoutAnyTlbInterrupt()
        {
            var data = rig.Fill(0x10_0000, 3 * 4096, 4);
            const ulong tsbBase = 0x60_0000;
            registers.Write(TsbBaseLow, (uint)tsbBase);
            registers.Write(TsbConfig, TsbEnable | (6u << TsbSizeShift));
            var frames = new ulong[] { 0x70_3000, 0x71_8000, 0x30_1000 };
            for(var i = 0; i < frames.Length; i++)
            {
                var va = 0x40_0000UL + (ulong)i * 4096;
                var bytes = new byte[16];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, va | DmaInitiator);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), frames[i] | 1 | 2 | 4);
                rig.Ram.Write(tsbBase + ((va >> 12) & 63) * 16, bytes);
            }
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 3 * 4096, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(host.InterruptChanges, Is.Zero);
            Assert.That(rig.Status(0) & DmaRegisterMap.StatusDone, Is.Not.Zero);
            for(var i = 0; i < frames.Length; i++)
            {
                Assert.That(rig.Ram.Read(frames[i], 4096), Is.EqualTo(data[(i * 4096)..((i + 1) * 4096)]));
            }
            Assert.That(tlb.TsbRefills, Is.EqualTo(3UL));
        }

        private void StageAndWriteRandom(ulong va, ulong pa, uint id)
        {
            registers.Write(EntryVirtualLow, (uint)va);
            registers.Write(EntryVirtualHigh, (uint)(va >> 32));
            registers.Write(EntryPhysicalLow, (uint)pa);
            registers.Write(EntryPhysicalHigh, (uint)(pa >> 32));
            registers.Write(EntryAttributes, id | AttributeValid | AttributeRead | AttributeWrite);
            registers.Write(Command, CommandWriteRandom);
        }

        private DmaRig rig;
        private RecordingHost host;
        private SoftwareManagedTlbModel tlb;
        private SoftwareManagedTlbRegisters registers;

        // DmaRig's engine presents initiator id 7.
        private const int DmaInitiator = 7;
    }
}
