using NUnit.Framework;
using RenodeFrameAlloc.Tests;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Run twice: over memory that copies within itself, and through the engine's bounce buffer.
    [TestFixture(false)]
    [TestFixture(true)]
    public class ScatterGatherDmaModelTransferTests
    {
        public ScatterGatherDmaModelTransferTests(bool bounceThroughBuffer)
        {
            this.bounceThroughBuffer = bounceThroughBuffer;
        }

        [Test]
        public void SingleDescriptorCopiesAndRaisesDone()
        {
            var rig = NewRig();
            var data = rig.Fill(0x10_0000, 3000, seed: 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 3000, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            Assert.That(rig.Ram.Read(0x20_0000, 3000), Is.EqualTo(data));
            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
            Assert.That(rig.BytesDone(0), Is.EqualTo(3000));
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(1));
            Assert.That(rig.Host.Line(0), Is.True);
            Assert.That(rig.Read(InterruptStatus), Is.EqualTo(1));
            Assert.That(rig.Ram.Read(0x20_0000 + 3000, 16), Is.All.EqualTo(0), "nothing written past the destination");
        }

        [Test]
        public void ChainGathersScatteredPiecesInOrder()
        {
            var rig = NewRig();
            var a = rig.Fill(0x10_0000, 100, 1);
            var b = rig.Fill(0x30_0000, 5000, 2);
            var c = rig.Fill(0x50_0000, 7, 3);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x80_0000, 100, DmaDescriptorControl.None, next: 0x2000);
            rig.PutDescriptor(0x2000, 0x30_0000, 0x80_0000 + 100, 5000, DmaDescriptorControl.None, next: 0x1800);
            rig.PutDescriptor(0x1800, 0x50_0000, 0x80_0000 + 5100, 7, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            var expected = new byte[5107];
            a.CopyTo(expected, 0);
            b.CopyTo(expected, 100);
            c.CopyTo(expected, 5100);
            Assert.That(rig.Ram.Read(0x80_0000, expected.Length), Is.EqualTo(expected));
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(3));
            Assert.That(rig.BytesDone(0), Is.EqualTo(5107));
            Assert.That(rig.CurrentDescriptor(0), Is.EqualTo(0x1800));
            Assert.That(rig.Status(0) & StatusDone, Is.Not.Zero);
        }

        [Test]
        public void LongCopyCrossesPieceBoundariesAndRamRegions()
        {
            // 300 KiB from below the hole in the rig's RAM to above the engine's register hole.
            var rig = NewRig();
            const int length = 300 * 1024;
            var data = rig.Fill(0x40_0000, length, 9);
            rig.PutDescriptor(0x1000, 0x40_0000, DmaRig.RegistersBase + DmaRig.RegistersSize, length, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
            Assert.That(rig.Ram.Read(DmaRig.RegistersBase + DmaRig.RegistersSize, length), Is.EqualTo(data));
        }

        [Test]
        public void InterruptLineFollowsEnableAndWriteOneToClear()
        {
            var rig = NewRig();
            rig.Fill(0x10_0000, 64, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 64, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000, interruptEnable: false);
            Assert.That(rig.Status(0), Is.EqualTo(StatusDone), "DONE latches even with interrupts off");
            Assert.That(rig.Host.Line(0), Is.False);

            rig.ChannelWrite(0, Control, ControlInterruptEnable);
            Assert.That(rig.Host.Line(0), Is.True, "enabling with DONE pending raises the line");
            Assert.That(rig.ChannelRead(0, Control), Is.EqualTo(ControlInterruptEnable));

            rig.ChannelWrite(0, DmaRegisterMap.Status, StatusDone);
            Assert.That(rig.Host.Line(0), Is.False);
            Assert.That(rig.Status(0), Is.Zero);
        }

        [Test]
        public void DescriptorInterruptFlagSignalsMidChain()
        {
            var rig = NewRig(bandwidth: 1_000_000);
            rig.Fill(0x10_0000, 1000, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.InterruptOnCompletion, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x10_0000, 0x30_0000, 1000, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);
            rig.Host.Advance(1_000_000);

            Assert.That(rig.Status(0), Is.EqualTo(StatusBusy | StatusDescriptorInterrupt | StatusInterrupt));
            Assert.That(rig.Host.Line(0), Is.True);
            rig.ChannelWrite(0, DmaRegisterMap.Status, StatusDescriptorInterrupt);
            Assert.That(rig.Host.Line(0), Is.False);

            rig.Host.Advance(1_000_000);
            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
        }

        [Test]
        public void ChannelsRunIndependently()
        {
            var rig = NewRig(bandwidth: 1_000_000);
            var a = rig.Fill(0x10_0000, 1000, 1);
            var b = rig.Fill(0x11_0000, 3000, 2);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.EndOfChain);
            rig.PutDescriptor(0x2000, 0x11_0000, 0x21_0000, 3000, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);
            rig.Start(3, 0x2000);
            rig.Host.Advance(1_000_000);

            Assert.That(rig.Status(0) & StatusDone, Is.Not.Zero);
            Assert.That(rig.Status(3) & StatusBusy, Is.Not.Zero);
            Assert.That(rig.Read(InterruptStatus), Is.EqualTo(0b0001));
            rig.Host.Advance(2_000_000);
            Assert.That(rig.Read(InterruptStatus), Is.EqualTo(0b1001));
            Assert.That(rig.Ram.Read(0x20_0000, 1000), Is.EqualTo(a));
            Assert.That(rig.Ram.Read(0x21_0000, 3000), Is.EqualTo(b));
        }

        [Test]
        public void IdentificationRegistersDescribeTheConfiguration()
        {
            var rig = NewRig(channels: 3, bandwidth: 0x1_2345_6789, maxChainLength: 77);

            Assert.That(rig.Read(Identifier), Is.EqualTo(ScatterGatherDmaModel.IdentifierValue));
            Assert.That(rig.Read(Version), Is.EqualTo(ScatterGatherDmaModel.VersionValue));
            Assert.That(rig.Read(ChannelCount), Is.EqualTo(3));
            Assert.That(rig.Read(MaxChainLength), Is.EqualTo(77));
            Assert.That(rig.Read(WindowBaseLow) | ((ulong)rig.Read(WindowBaseHigh) << 32), Is.EqualTo(0));
            Assert.That(rig.Read(WindowLastLow) | ((ulong)rig.Read(WindowLastHigh) << 32), Is.EqualTo(DmaRig.WindowEnd - 1));
            Assert.That(rig.Read(BandwidthLow) | ((ulong)rig.Read(BandwidthHigh) << 32), Is.EqualTo(0x1_2345_6789));
            Assert.That(rig.Engine.RegisterSpaceSize, Is.EqualTo(ChannelBase + 3 * ChannelStride));
        }

        [Test]
        public void DescriptorPointerReadsBackBothHalves()
        {
            var rig = NewRig();
            rig.ChannelWrite(1, DescriptorPointerLow, 0xDEADBEE8);
            rig.ChannelWrite(1, DescriptorPointerHigh, 0x12);
            Assert.That(rig.ChannelRead(1, DescriptorPointerLow), Is.EqualTo(0xDEADBEE8));
            Assert.That(rig.ChannelRead(1, DescriptorPointerHigh), Is.EqualTo(0x12));
            Assert.That(rig.ChannelRead(0, DescriptorPointerLow), Is.Zero, "other channels untouched");
        }

        [Test]
        public void BadRegisterAccessesAreLoggedAndIgnored()
        {
            var rig = NewRig(channels: 2);

            Assert.That(rig.Read(0x2C), Is.Zero);
            Assert.That(rig.Read(0x101), Is.Zero, "unaligned");
            Assert.That(rig.Read(Channel(2, Status)), Is.Zero, "past the last channel");
            rig.Write(ChannelCount, 99);
            rig.ChannelWrite(0, BytesDoneLow, 5);
            rig.Write(-4, 1);
            rig.Write(long.MaxValue, 1);

            Assert.That(rig.Read(ChannelCount), Is.EqualTo(2));
            Assert.That(rig.BytesDone(0), Is.Zero);
            Assert.That(rig.Host.Log, Has.Count.EqualTo(7));
        }

        [Test]
        public void ResetStopsTransfersAndIgnoresTheirLateWakes()
        {
            var rig = NewRig(bandwidth: 1_000_000);
            rig.Fill(0x10_0000, 1000, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.EndOfChain);
            rig.Start(0, 0x1000);
            Assert.That(rig.Status(0) & StatusBusy, Is.Not.Zero);

            rig.Engine.Reset();
            rig.Host.Advance(10_000_000);

            Assert.That(rig.Status(0), Is.Zero);
            Assert.That(rig.ChannelRead(0, DescriptorPointerLow), Is.Zero);
            Assert.That(rig.Ram.Read(0x20_0000, 1000), Is.All.EqualTo(0), "the stale wake moved nothing");
        }

        [Test]
        public void StartWhileBusyAndPointerWriteWhileBusyAreIgnored()
        {
            var rig = NewRig(bandwidth: 1_000_000);
            var data = rig.Fill(0x10_0000, 1000, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.EndOfChain);
            rig.PutDescriptor(0x2000, 0x10_0000, 0x30_0000, 1000, DmaDescriptorControl.EndOfChain);
            rig.Start(0, 0x1000);

            rig.ChannelWrite(0, DescriptorPointerLow, 0x2000);
            rig.ChannelWrite(0, Control, ControlStart | ControlInterruptEnable);
            rig.Host.Advance(1_000_000);

            Assert.That(rig.Ram.Read(0x20_0000, 1000), Is.EqualTo(data));
            Assert.That(rig.Ram.Read(0x30_0000, 1000), Is.All.EqualTo(0));
            Assert.That(rig.ChannelRead(0, DescriptorPointerLow), Is.EqualTo(0x1000));
            Assert.That(rig.Host.Log, Has.Count.EqualTo(2));
        }

        [Test]
        public void ChannelRunsAgainAfterDone()
        {
            var rig = NewRig();
            rig.Fill(0x10_0000, 10, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 10, DmaDescriptorControl.EndOfChain);
            rig.Start(0, 0x1000);
            var second = rig.Fill(0x10_0000, 10, 2);

            rig.Start(0, 0x1000);

            Assert.That(rig.Ram.Read(0x20_0000, 10), Is.EqualTo(second));
            Assert.That(rig.BytesDone(0), Is.EqualTo(10), "counters restart with each START");
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(1));
        }

        private DmaRig NewRig(int channels = 4, ulong bandwidth = 0, int maxChainLength = 64)
        {
            return new DmaRig(channels, bandwidth, maxChainLength, bounceThroughBuffer: bounceThroughBuffer);
        }

        private readonly bool bounceThroughBuffer;
    }
}
