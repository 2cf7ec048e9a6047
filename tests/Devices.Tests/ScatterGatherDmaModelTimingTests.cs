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

        // With bandwidth 0 a chain runs inside the START write only up to the step bound; the rest
        // follows in wakes of no virtual time, each step again bounded (docs/dma-engine.md, Time).
        [TestCase(3000UL, int.MaxValue, 3)]
        [TestCase(2500UL, int.MaxValue, 3)]
        [TestCase(ulong.MaxValue, 2, 2)]
        [TestCase(1UL, int.MaxValue, 1)]
        public void WithoutBandwidthAChainStopsAtTheStepBoundAndGoesOnInWakes(ulong stepBytes, int stepDescriptors, int perStep)
        {
            const int Descriptors = 7;
            var rig = new DmaRig(bandwidth: 0);
            rig.Engine.ChainStepBytes = stepBytes;
            rig.Engine.ChainStepDescriptors = stepDescriptors;
            var data = rig.Fill(0x10_0000, Descriptors * 1000, 5);
            for(var i = 0; i < Descriptors; i++)
            {
                var at = 0x1000UL + (ulong)i * 0x20;
                var last = i == Descriptors - 1;
                rig.PutDescriptor(at, 0x10_0000 + (ulong)i * 1000, 0x20_0000 + (ulong)i * 1000, 1000,
                    last ? DmaDescriptorControl.EndOfChain : DmaDescriptorControl.None, next: last ? 0 : at + 0x20);
            }

            rig.Start(0, 0x1000);
            var steps = 1;
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(perStep), "the START write stops at the bound");
            Assert.That(rig.Status(0) & StatusBusy, Is.Not.Zero);
            while((rig.Status(0) & StatusBusy) != 0)
            {
                var before = rig.ChannelRead(0, DescriptorsDone);
                Assert.That(rig.Host.DeliverDueWakes(), Is.EqualTo(1), "one wake of no virtual time carries the chain on");
                Assert.That(rig.ChannelRead(0, DescriptorsDone) - before, Is.InRange(1, perStep), "each wake is bounded too");
                Assert.That(rig.Host.Now, Is.Zero, "no virtual time passes");
                steps++;
            }

            Assert.That(rig.Status(0) & StatusDone, Is.Not.Zero);
            Assert.That(steps, Is.EqualTo((Descriptors + perStep - 1) / perStep));
            Assert.That(rig.Ram.Read(0x20_0000, Descriptors * 1000), Is.EqualTo(data));
        }

        [Test]
        public void TheStepBoundIsAtLeastOne()
        {
            var rig = new DmaRig(bandwidth: 0);
            rig.Engine.ChainStepBytes = 0;
            rig.Engine.ChainStepDescriptors = 0;
            Assert.That(rig.Engine.ChainStepBytes, Is.EqualTo(1UL));
            Assert.That(rig.Engine.ChainStepDescriptors, Is.EqualTo(1));
        }
    }
}
