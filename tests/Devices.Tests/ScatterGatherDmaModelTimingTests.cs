using NUnit.Framework;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // With a bandwidth, software sees BUSY for length / bandwidth of virtual time, then DONE;
    // with bandwidth 0 the copy is complete when the START write returns.
    public class ScatterGatherDmaModelTimingTests
    {
        [Test]
        public void BusyForExactlyTheTransferTimeThenDone()
        {
            var rig = new DmaRig(bandwidth: 1_000_000);
            var data = rig.Fill(0x10_0000, 4096, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 4096, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);
            Assert.That(rig.Status(0), Is.EqualTo(StatusBusy));
            Assert.That(rig.Host.Line(0), Is.False);

            rig.Host.Advance(4_096_000 - 1);
            Assert.That(rig.Status(0), Is.EqualTo(StatusBusy));
            Assert.That(rig.Ram.Read(0x20_0000, 4096), Is.All.EqualTo(0), "no byte lands before its time");
            Assert.That(rig.BytesDone(0), Is.Zero);

            rig.Host.Advance(1);
            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(rig.Ram.Read(0x20_0000, 4096), Is.EqualTo(data));
            Assert.That(rig.Host.Line(0), Is.True);
        }

        [Test]
        public void ChainTakesTheSumOfItsDescriptors()
        {
            var rig = new DmaRig(bandwidth: 2_000_000);
            rig.Fill(0x10_0000, 3000, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.None, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x10_0000, 0x30_0000, 3000, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);
            rig.Host.Advance(500_000);
            Assert.That(rig.BytesDone(0), Is.EqualTo(1000), "first descriptor done after 1000 B / 2 MB/s");
            Assert.That(rig.Status(0) & StatusBusy, Is.Not.Zero);

            rig.Host.Advance(1_499_999);
            Assert.That(rig.Status(0) & StatusBusy, Is.Not.Zero);
            rig.Host.Advance(1);
            Assert.That(rig.Status(0) & StatusDone, Is.Not.Zero);
            Assert.That(rig.BytesDone(0), Is.EqualTo(4000));
        }

        [Test]
        public void InstantModeNeverUsesTheClock()
        {
            var rig = new DmaRig(bandwidth: 0);
            rig.Fill(0x10_0000, 1 << 20, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x30_0000, 1 << 20, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            Assert.That(rig.Status(0) & StatusDone, Is.Not.Zero);
            Assert.That(rig.Host.Scheduled, Is.Zero);
        }

        [Test]
        public void BandwidthChangeAppliesFromTheNextDescriptor()
        {
            var rig = new DmaRig(bandwidth: 1_000_000);
            rig.Fill(0x10_0000, 1000, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.None, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x10_0000, 0x30_0000, 1000, DmaDescriptorControl.EndOfChain);
            rig.Start(0, 0x1000);

            rig.Engine.BandwidthBytesPerSecond = 0;
            rig.Host.Advance(1_000_000);

            Assert.That(rig.Status(0) & StatusDone, Is.Not.Zero, "second descriptor ran at once");
        }

        [TestCase(1000UL, 1_000_000UL, 1_000_000UL)]
        [TestCase(1UL, 3UL, 333_333_334UL)]
        [TestCase(0xFFFF_FFFFUL, 1UL, 4_294_967_295_000_000_000UL)]
        [TestCase(4096UL, 0UL, 0UL)]
        public void TransferTimeRoundsUp(ulong length, ulong bandwidth, ulong expectedNanoseconds)
        {
            var rig = new DmaRig(bandwidth: bandwidth);
            Assert.That(rig.Engine.TransferTimeNanoseconds(length), Is.EqualTo(expectedNanoseconds));
        }
    }
}
