using System;
using System.Linq;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Peripherals.Bus;
using NUnit.Framework;
using RenodeFrameAlloc.StandIn.Testing;

using Range = Antmicro.Renode.Core.Range;

namespace RenodeFrameAlloc.Peripherals.Tests.Tlb
{
    // Every way an initiator behind the TLB can reach memory is translated, including the ones
    // Renode's BusControllerProxy forwards untranslated (the quad-word *WithState accesses,
    // ZeroRange) or translates at the start address only (the other *WithState accesses).
    public class TlbProxyAccessPathTests
    {
        [SetUp]
        public void SetUp()
        {
            LogCapture.Clear();
            rig = new TlbRig();
            initiator = new StatefulInitiator();
            rig.Tlb.AttachInitiator(initiator, 9);
            rig.Map(0x4000_0000, FrameA, 9);
            rig.Map(0x4000_1000, FrameB, 9);
            bus = rig.Machine.GetSystemBus(initiator);
        }

        [Test]
        public void StatefulAccessesOfEveryWidthReachTheMappedFrame()
        {
            var state = new StatefulInitiator.State(1);

            bus.WriteQuadWordWithState(0x4000_0010, 0x1122_3344_5566_7788, initiator, state);
            bus.WriteDoubleWordWithState(0x4000_0020, 0xAABB_CCDD, initiator, state);
            bus.WriteWordWithState(0x4000_0030, 0xEEFF, initiator, state);
            bus.WriteByteWithState(0x4000_0040, 0x99, initiator, state);

            Assert.That(BitConverter.ToUInt64(rig.Ram.Read(FrameA + 0x10, 8)), Is.EqualTo(0x1122_3344_5566_7788UL));
            Assert.That(BitConverter.ToUInt32(rig.Ram.Read(FrameA + 0x20, 4)), Is.EqualTo(0xAABB_CCDDu));
            Assert.That(BitConverter.ToUInt16(rig.Ram.Read(FrameA + 0x30, 2)), Is.EqualTo((ushort)0xEEFF));
            Assert.That(rig.Ram.Read(FrameA + 0x40, 1)[0], Is.EqualTo((byte)0x99));
            Assert.That(bus.ReadQuadWordWithState(0x4000_0010, initiator, state), Is.EqualTo(0x1122_3344_5566_7788UL));
            Assert.That(bus.ReadDoubleWordWithState(0x4000_0020, initiator, state), Is.EqualTo(0xAABB_CCDDu));
            Assert.That(bus.ReadWordWithState(0x4000_0030, initiator, state), Is.EqualTo((ushort)0xEEFF));
            Assert.That(bus.ReadByteWithState(0x4000_0040, initiator, state), Is.EqualTo((byte)0x99));
            Assert.That(initiator.Conversions, Is.EqualTo(8), "each access reached the bus with its state");
            Assert.That(rig.Tlb.Faults, Is.Zero);
        }

        [TestCase(8)]
        [TestCase(4)]
        [TestCase(2)]
        public void StatefulAccessesThatStraddleAPageAreSplitAcrossFrames(int width)
        {
            var state = new StatefulInitiator.State(1);
            var address = 0x4000_1000UL - (ulong)(width / 2);
            var value = 0x0807_0605_0403_0201UL & (ulong.MaxValue >> (64 - 8 * width));

            Write(address, value, width, state);

            var half = width / 2;
            Assert.That(rig.Ram.Read(FrameA + 0x1000 - (ulong)half, half), Is.EqualTo(Enumerable.Range(1, half).Select(b => (byte)b)));
            Assert.That(rig.Ram.Read(FrameB, half), Is.EqualTo(Enumerable.Range(half + 1, half).Select(b => (byte)b)));
            Assert.That(Read(address, width, state), Is.EqualTo(value));
        }

        [Test]
        public void StatefulQuadWordToAnUnmappedPageIsDroppedAndLatched()
        {
            var state = new StatefulInitiator.State(1);

            bus.WriteQuadWordWithState(0x4000_2000, ulong.MaxValue, initiator, state);

            Assert.That(bus.ReadQuadWordWithState(0x4000_2000, initiator, state), Is.Zero);
            Assert.That(rig.Tlb.Faults, Is.EqualTo(2UL));
            Assert.That(rig.Tlb.IRQ.IsSet, Is.True);
            Assert.That(initiator.Conversions, Is.Zero, "nothing reached the bus");
        }

        [Test]
        public void ZeroRangeZeroesTheMappedFramesAndStopsAtAFault()
        {
            var frameAData = rig.Fill(FrameA, 0x1000, 1);
            rig.Fill(FrameB, 0x1000, 2);
            var afterFrameB = rig.Fill(FrameB + 0x1000, 0x100, 3);

            // From 0x100 before the end of page A to 0x100 into the unmapped page after page B.
            bus.ZeroRange(new Range(0x4000_0F00, 0x1200));

            Assert.That(rig.Ram.Read(FrameA, 0xF00), Is.EqualTo(frameAData[..0xF00]), "before the range: untouched");
            Assert.That(rig.Ram.Read(FrameA + 0xF00, 0x100), Is.All.Zero);
            Assert.That(rig.Ram.Read(FrameB, 0x1000), Is.All.Zero);
            Assert.That(rig.Ram.Read(FrameB + 0x1000, 0x100), Is.EqualTo(afterFrameB), "the unmapped page did not spill into the next frame");
            Assert.That(rig.Tlb.Faults, Is.EqualTo(1UL), "the unmapped page faulted once");
        }

        [Test]
        public void FindBytesIsRefusedRatherThanAnsweredWithPhysicalAddresses()
        {
            Assert.Throws<RecoverableException>(() => bus.FindBytes(new byte[] { 1, 2, 3 }));
            Assert.Throws<RecoverableException>(() => bus.FindBytes("010203"));
        }

        [Test]
        public void AnInitiatorThatFetchedItsBusBeforeTheAttachIsTranslatedToo()
        {
            // As in Renode, the machine hands out one wrapper per peripheral and retargets it.
            var early = new StatefulInitiator();
            var earlyBus = rig.Machine.GetSystemBus(early);
            rig.Tlb.AttachInitiator(early, 10);
            rig.Map(0x6000_0000, FrameA, 10);

            earlyBus.WriteDoubleWord(0x6000_0008, 0xCAFE_F00D);

            Assert.That(BitConverter.ToUInt32(rig.Ram.Read(FrameA + 8, 4)), Is.EqualTo(0xCAFE_F00Du));
            Assert.That(earlyBus, Is.InstanceOf<BusControllerProxy>());
        }

        private void Write(ulong address, ulong value, int width, StatefulInitiator.State state)
        {
            switch(width)
            {
            case 2:
                bus.WriteWordWithState(address, (ushort)value, initiator, state);
                break;
            case 4:
                bus.WriteDoubleWordWithState(address, (uint)value, initiator, state);
                break;
            default:
                bus.WriteQuadWordWithState(address, value, initiator, state);
                break;
            }
        }

        private ulong Read(ulong address, int width, StatefulInitiator.State state)
        {
            switch(width)
            {
            case 2:
                return bus.ReadWordWithState(address, initiator, state);
            case 4:
                return bus.ReadDoubleWordWithState(address, initiator, state);
            default:
                return bus.ReadQuadWordWithState(address, initiator, state);
            }
        }

        private TlbRig rig;
        private StatefulInitiator initiator;
        private IBusController bus;

        private const ulong FrameA = 0x8030_0000;
        private const ulong FrameB = 0x8011_7000;
    }
}
