using NUnit.Framework;
using RenodeFrameAlloc.Tests;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Every kind of bad guest input stops the channel with its own cause, raises the interrupt,
    // logs a line, moves no byte it should not, and leaves the engine usable.
    public class ScatterGatherDmaModelBadInputTests
    {
        [Test]
        public void ZeroLength()
        {
            var rig = new DmaRig();
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 0, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.ZeroLength, fault: 0x1000, bytes: 0);
            AssertStillWorks(rig, 0);
        }

        [Test]
        public void ChainThatLoopsBackIsCaught()
        {
            var rig = new DmaRig(maxChainLength: 1000);
            rig.Fill(0x10_0000, 16, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 16, DmaDescriptorControl.None, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x10_0000, 0x20_0010, 16, DmaDescriptorControl.None, next: 0x1040);
            rig.PutDescriptor(0x1040, 0x10_0000, 0x20_0020, 16, DmaDescriptorControl.None, next: 0x1020);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.ChainLoop));
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.LessThan(10), "found within a few laps, not at the bound");
            Assert.That(rig.BytesDone(0), Is.EqualTo(16 * rig.ChannelRead(0, DescriptorsDone)));
            Assert.That(rig.Host.Line(0), Is.True);
            Assert.That(rig.Host.Logged("ChainLoop"), Is.True);
            AssertStillWorks(rig, 0);
        }

        [Test]
        public void DescriptorPointingAtItselfIsALoop()
        {
            var rig = new DmaRig();
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 16, DmaDescriptorControl.None, next: 0x1000);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.ChainLoop, fault: 0x1000, bytes: 16);
        }

        [Test]
        public void ChainLongerThanTheBoundStops()
        {
            // Distinct descriptors, no loop, no end: the bound stops it.
            var rig = new DmaRig(maxChainLength: 8);
            for(var i = 0UL; i < 20; i++)
            {
                rig.PutDescriptor(0x1000 + i * 0x20, 0x10_0000, 0x20_0000 + i * 4, 4, DmaDescriptorControl.None, next: 0x1000 + (i + 1) * 0x20);
            }

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.ChainTooLong, fault: 0x1000 + 8 * 0x20, bytes: 8 * 4);
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(8));
        }

        [TestCase(0x10_0000UL, DmaRig.WindowEnd, TestName = "DestinationOutsideWindow")]
        [TestCase(DmaRig.WindowEnd, 0x10_0000UL, TestName = "SourceOutsideWindow")]
        [TestCase(0x10_0000UL, DmaRig.WindowEnd - 8, TestName = "DestinationStraddlesWindowEnd")]
        [TestCase(ulong.MaxValue - 3, 0x10_0000UL, TestName = "SourceWrapsAroundTheAddressSpace")]
        public void DataOutsideTheWindowIsRefusedBeforeAnyByteMoves(ulong source, ulong destination)
        {
            var rig = new DmaRig();
            var beyond = rig.Fill(DmaRig.WindowEnd, 4096, 5);
            rig.Fill(0x10_0000, 64, 6);
            rig.PutDescriptor(0x1000, source, destination, 64, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.AddressOutsideWindow, fault: destination == 0x10_0000 ? source : destination, bytes: 0);
            Assert.That(rig.Ram.Read(DmaRig.WindowEnd, 4096), Is.EqualTo(beyond), "RAM past the window untouched");
            Assert.That(rig.Ram.Read(DmaRig.WindowEnd - 8, 8), Is.All.EqualTo(0), "nothing written inside the window either");
        }

        [Test]
        public void DescriptorOutsideTheWindow()
        {
            var rig = new DmaRig();
            rig.PutDescriptor(DmaRig.WindowEnd + 0x1000, 0x10_0000, 0x20_0000, 64, DmaDescriptorControl.EndOfChain);

            rig.Start(0, DmaRig.WindowEnd + 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.AddressOutsideWindow, fault: DmaRig.WindowEnd + 0x1000, bytes: 0);
            Assert.That(rig.Ram.Read(0x20_0000, 64), Is.All.EqualTo(0));
        }

        [Test]
        public void NextPointerOutsideTheWindowStopsAfterTheGoodPart()
        {
            var rig = new DmaRig();
            var data = rig.Fill(0x10_0000, 64, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 64, DmaDescriptorControl.None, next: 0x1_0000_0000);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.AddressOutsideWindow, fault: 0x1_0000_0000, bytes: 64);
            Assert.That(rig.Ram.Read(0x20_0000, 64), Is.EqualTo(data));
            Assert.That(rig.CurrentDescriptor(0), Is.EqualTo(0x1_0000_0000));
        }

        [Test]
        public void DescriptorNotInMemory()
        {
            var rig = new DmaRig();

            rig.Start(0, DmaRig.HoleBase + 0x100);

            AssertStopped(rig, 0, DmaErrorCause.DescriptorNotInMemory, fault: DmaRig.HoleBase + 0x100, bytes: 0);
            AssertStillWorks(rig, 0);
        }

        [Test]
        public void DescriptorStraddlingTheEndOfRam()
        {
            var rig = new DmaRig();

            rig.Start(0, DmaRig.HoleBase - 0x10);

            AssertStopped(rig, 0, DmaErrorCause.DescriptorNotInMemory, fault: DmaRig.HoleBase - 0x10, bytes: 0);
        }

        [Test]
        public void MisalignedDescriptor()
        {
            var rig = new DmaRig();

            rig.Start(0, 0x1004);

            AssertStopped(rig, 0, DmaErrorCause.DescriptorMisaligned, fault: 0x1004, bytes: 0);
        }

        [Test]
        public void DestinationInAHoleWritesNothing()
        {
            var rig = new DmaRig();
            rig.Fill(0x10_0000, 0x2000, 1);
            var justBefore = rig.Ram.Read(DmaRig.HoleBase - 0x1000, 0x1000);
            rig.PutDescriptor(0x1000, 0x10_0000, DmaRig.HoleBase - 0x1000, 0x2000, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.DataNotInMemory, fault: DmaRig.HoleBase - 0x1000, bytes: 0);
            Assert.That(rig.Ram.Read(DmaRig.HoleBase - 0x1000, 0x1000), Is.EqualTo(justBefore));
        }

        [Test]
        public void SourceInAHole()
        {
            var rig = new DmaRig();
            rig.PutDescriptor(0x1000, DmaRig.HoleBase, 0x20_0000, 16, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.DataNotInMemory, fault: DmaRig.HoleBase, bytes: 0);
        }

        [Test]
        public void DestinationOverTheEnginesOwnRegisters()
        {
            // The re-entrancy bug class: a copy whose destination is the engine's own CONTROL
            // register would start or abort channels from inside a transfer.
            var rig = new DmaRig();
            var payload = new byte[64];
            payload[0x08] = (byte)(ControlStart | ControlAbort);
            rig.Ram.Write(0x10_0000, payload);
            rig.ChannelWrite(1, DescriptorPointerLow, 0x3000);
            rig.PutDescriptor(0x1000, 0x10_0000, DmaRig.RegistersBase + (ulong)Channel(1, 0), 64, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.RegisterOverlap, fault: DmaRig.RegistersBase + (ulong)Channel(1, 0), bytes: 0);
            Assert.That(rig.ChannelRead(1, DescriptorPointerLow), Is.EqualTo(0x3000));
            Assert.That(rig.Status(1), Is.Zero);
        }

        [Test]
        public void SourceOverlappingTheEnginesRegisters()
        {
            var rig = new DmaRig();
            rig.PutDescriptor(0x1000, DmaRig.RegistersBase - 0x10, 0x20_0000, 0x20, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.RegisterOverlap, fault: DmaRig.RegistersBase - 0x10, bytes: 0);
        }

        [Test]
        public void DescriptorInTheEnginesRegisters()
        {
            var rig = new DmaRig();

            rig.Start(0, DmaRig.RegistersBase + 0x100);

            AssertStopped(rig, 0, DmaErrorCause.RegisterOverlap, fault: DmaRig.RegistersBase + 0x100, bytes: 0);
        }

        [Test]
        public void TranslationWithoutATlb()
        {
            var rig = new DmaRig();
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 16, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.TranslationUnavailable, fault: 0x1000, bytes: 0);
        }

        [Test]
        public void AbortInTheMiddleOfAChainReportsTheBytesMoved()
        {
            var rig = new DmaRig(bandwidth: 1_000_000);
            var first = rig.Fill(0x10_0000, 1000, 1);
            rig.Fill(0x11_0000, 1000, 2);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.None, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x11_0000, 0x21_0000, 1000, DmaDescriptorControl.None, next: 0x1040);
            rig.PutDescriptor(0x1040, 0x11_0000, 0x22_0000, 1000, DmaDescriptorControl.EndOfChain);
            rig.Start(0, 0x1000);
            rig.Host.Advance(1_500_000);

            rig.ChannelWrite(0, Control, ControlAbort | ControlInterruptEnable);
            rig.Host.Advance(10_000_000);

            AssertStopped(rig, 0, DmaErrorCause.Aborted, fault: 0x1020, bytes: 1000);
            Assert.That(rig.Ram.Read(0x20_0000, 1000), Is.EqualTo(first));
            Assert.That(rig.Ram.Read(0x21_0000, 1000), Is.All.EqualTo(0), "the aborted descriptor's bytes never moved");
            Assert.That(rig.Ram.Read(0x22_0000, 1000), Is.All.EqualTo(0));
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(1));
        }

        [Test]
        public void AbortWhileIdleChangesNothing()
        {
            var rig = new DmaRig();
            rig.ChannelWrite(2, Control, ControlAbort);
            Assert.That(rig.Status(2), Is.Zero);
            Assert.That(rig.Cause(2), Is.EqualTo(DmaErrorCause.None));
        }

        [Test]
        public void StartAndAbortTogetherAbortWins()
        {
            var rig = new DmaRig();
            rig.Fill(0x10_0000, 16, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 16, DmaDescriptorControl.EndOfChain);
            rig.ChannelWrite(0, DescriptorPointerLow, 0x1000);

            rig.ChannelWrite(0, Control, ControlStart | ControlAbort);

            Assert.That(rig.Status(0), Is.Zero);
            Assert.That(rig.Ram.Read(0x20_0000, 16), Is.All.EqualTo(0));
            Assert.That(rig.Host.Log, Has.Count.EqualTo(1));
        }

        [Test]
        public void FailureAfterGoodDescriptorsKeepsTheirWork()
        {
            var rig = new DmaRig();
            var data = rig.Fill(0x10_0000, 500, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 500, DmaDescriptorControl.None, next: 0x1020);
            rig.PutDescriptor(0x1020, 0x10_0000, 0x20_1000, 0, DmaDescriptorControl.EndOfChain);

            rig.Start(0, 0x1000);

            AssertStopped(rig, 0, DmaErrorCause.ZeroLength, fault: 0x1020, bytes: 500);
            Assert.That(rig.ChannelRead(0, DescriptorsDone), Is.EqualTo(1));
            Assert.That(rig.Ram.Read(0x20_0000, 500), Is.EqualTo(data));
        }

        [Test]
        public void ErrorClearsWithWriteOneAndTheNextStart()
        {
            var rig = new DmaRig();
            rig.Start(0, 0x1004);
            Assert.That(rig.Host.Line(0), Is.True);

            rig.ChannelWrite(0, DmaRegisterMap.Status, StatusError);

            Assert.That(rig.Host.Line(0), Is.False);
            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.DescriptorMisaligned), "the cause stays readable until the next START");
            AssertStillWorks(rig, 0);
            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
        }

        private static void AssertStopped(DmaRig rig, int channel, DmaErrorCause cause, ulong fault, ulong bytes)
        {
            Assert.That(rig.Cause(channel), Is.EqualTo(cause));
            Assert.That(rig.Status(channel), Is.EqualTo(StatusError | StatusInterrupt));
            Assert.That(rig.FaultAddress(channel), Is.EqualTo(fault));
            Assert.That(rig.BytesDone(channel), Is.EqualTo(bytes));
            Assert.That(rig.Host.Line(channel), Is.True);
            Assert.That(rig.Host.Logged(cause.ToString()), Is.True, "a log line names the cause");
        }

        private static void AssertStillWorks(DmaRig rig, int channel)
        {
            var data = rig.Fill(0x60_0000, 128, 42);
            rig.PutDescriptor(0x6_0000, 0x60_0000, 0x61_0000, 128, DmaDescriptorControl.EndOfChain);
            rig.Start(channel, 0x6_0000);
            Assert.That(rig.Status(channel) & (StatusDone | StatusError), Is.EqualTo(StatusDone));
            Assert.That(rig.Ram.Read(0x61_0000, 128), Is.EqualTo(data));
        }
    }
}
