using System;
using System.Linq;
using System.Reflection;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.DMA;
using Antmicro.Renode.Time;
using NUnit.Framework;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.StandIn.Testing;
using static RenodeFrameAlloc.Peripherals.Tests.Dma.DmaPlatform;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Peripherals.Tests.Dma
{
    public class ScatterGatherDmaTests
    {
        [SetUp]
        public void ClearLog()
        {
            LogCapture.Clear();
        }

        [Test]
        public void RegistersAreOnTheBusWithTheRightSize()
        {
            var platform = new DmaPlatform(channels: 3);

            Assert.That(platform.Dma.Size, Is.EqualTo(0x100 + 3 * 0x40));
            Assert.That(platform.ReadRegister(0x00), Is.EqualTo(ScatterGatherDmaModel.IdentifierValue));
            Assert.That(platform.ReadRegister(0x08), Is.EqualTo(3));
            Assert.That(platform.ReadRegister(0x18), Is.EqualTo((16u << 20) - 1), "window from addressBits: 24");
            Assert.That(platform.Dma.Connections.Keys, Is.EquivalentTo(new[] { 0, 1, 2 }));
        }

        [Test]
        public void TimedTransferRaisesOnlyItsChannelsLineWhenDone()
        {
            var platform = new DmaPlatform(bandwidth: 1_000_000);
            var data = platform.Fill(0x10_0000, 2000, 1);
            platform.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 2000, DmaDescriptorControl.EndOfChain);

            platform.Start(1, 0x1000);
            Assert.That(platform.Status(1), Is.EqualTo(StatusBusy));
            Assert.That(platform.Machine.PendingActions, Is.EqualTo(1));

            platform.Machine.AdvanceTime(TimeInterval.FromMicroseconds(1999));
            Assert.That(platform.Interrupts.Level(FirstInterrupt + 1), Is.False);
            platform.Machine.AdvanceTime(TimeInterval.FromMicroseconds(1));

            Assert.That(platform.Status(1), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(platform.Bus.ReadBytes(0x20_0000, 2000), Is.EqualTo(data));
            Assert.That(platform.Interrupts.Level(FirstInterrupt + 1), Is.True);
            Assert.That(platform.Interrupts.Level(FirstInterrupt), Is.False);

            platform.WriteRegister(Channel(1, Status), StatusDone);
            Assert.That(platform.Interrupts.Level(FirstInterrupt + 1), Is.False);
            Assert.That(platform.Dma.Connections[1].IsSet, Is.False);
        }

        [Test]
        public void InstantTransferIsDoneWhenTheStartWriteReturns()
        {
            var platform = new DmaPlatform();
            var data = platform.Fill(0x10_0000, 100_000, 1);
            platform.PutDescriptor(0x1000, 0x10_0000, 0x30_0000, 100_000, DmaDescriptorControl.EndOfChain);

            platform.Start(0, 0x1000);

            Assert.That(platform.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(platform.Bus.ReadBytes(0x30_0000, 100_000), Is.EqualTo(data));
            Assert.That(platform.Machine.PendingActions, Is.Zero);
        }

        [Test]
        public void TheAdapterTellsTheModelWhereItsRegistersAre()
        {
            // Destination = channel 1's block: refused as RegisterOverlap (not merely "not memory"),
            // so the adapter found its own registration on the bus.
            var platform = new DmaPlatform();
            platform.Fill(0x10_0000, 64, 1);
            platform.WriteRegister(Channel(1, DescriptorPointerLow), 0x8000);
            platform.PutDescriptor(0x1000, 0x10_0000, DmaBase + (ulong)Channel(1, DescriptorPointerLow), 64, DmaDescriptorControl.EndOfChain);

            platform.Start(0, 0x1000);

            Assert.That(platform.Cause(0), Is.EqualTo(DmaErrorCause.RegisterOverlap));
            Assert.That(platform.ReadRegister(Channel(1, DescriptorPointerLow)), Is.EqualTo(0x8000));
            Assert.That(platform.Interrupts.Level(FirstInterrupt), Is.True);
        }

        [Test]
        public void GuestErrorsAreLoggedAsWarningsByThePeripheral()
        {
            var platform = new DmaPlatform();
            platform.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 0, DmaDescriptorControl.EndOfChain);

            platform.Start(0, 0x1000);
            platform.WriteRegister(0x04, 1);

            var lines = LogCapture.From(platform.Dma, LogLevel.Warning);
            Assert.That(lines.Select(l => l.Message), Has.Some.Contains("ZeroLength"));
            Assert.That(lines.Select(l => l.Message), Has.Some.Contains("read-only"));
            Assert.That(lines.All(l => l.Level == LogLevel.Warning), Is.True);
        }

        [Test]
        public void ABrokenTranslatorIsLoggedAsAnErrorAndStopsOnlyTheChannel()
        {
            var platform = new DmaPlatform(translator: new ThrowingTranslator());
            platform.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateSource);

            Assert.DoesNotThrow(() => platform.Start(0, 0x1000));

            Assert.That(platform.Cause(0), Is.EqualTo(DmaErrorCause.InternalError));
            Assert.That(LogCapture.From(platform.Dma, LogLevel.Error), Has.Count.EqualTo(1));
            Assert.That(platform.Interrupts.Level(FirstInterrupt), Is.True);
        }

        [Test]
        public void RandomRegisterTrafficNeverThrows()
        {
            var platform = new DmaPlatform(channels: 4, bandwidth: 10_000_000);
            var random = new Random(5);
            for(var i = 0; i < 20_000; i++)
            {
                var offset = random.Next(3) == 0 ? random.NextInt64(-16, 0x400) : 0x100 + random.Next(4) * 0x40 + random.Next(16) * 4;
                var value = random.Next(4) == 0 ? (uint)random.Next(8) : (uint)random.NextInt64(0, 1L << 32);
                Assert.DoesNotThrow(() => platform.Dma.WriteDoubleWord(offset, value));
                Assert.DoesNotThrow(() => platform.Dma.ReadDoubleWord(offset));
                if(i % 100 == 0)
                {
                    platform.Machine.AdvanceTime(TimeInterval.FromMicroseconds((ulong)random.Next(500)));
                }
            }
            Assert.That(LogCapture.From(platform.Dma, LogLevel.Error), Is.Empty);
        }

        [Test]
        public void ResetLowersEveryLine()
        {
            var platform = new DmaPlatform();
            platform.Start(0, 0x1004);
            platform.Start(1, 0x1004);
            Assert.That(platform.Interrupts.Level(FirstInterrupt), Is.True);

            platform.Dma.Reset();

            Assert.That(platform.Interrupts.Level(FirstInterrupt), Is.False);
            Assert.That(platform.Interrupts.Level(FirstInterrupt + 1), Is.False);
            Assert.That(platform.Status(0), Is.Zero);
        }

        [Test]
        public void ChannelStateTableShowsEachChannel()
        {
            var platform = new DmaPlatform();
            platform.Fill(0x10_0000, 10, 1);
            platform.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 10, DmaDescriptorControl.EndOfChain);
            platform.Start(0, 0x1000);
            platform.Start(1, 0x1004);

            var table = platform.Dma.ChannelState();

            Assert.That(table.GetLength(0), Is.EqualTo(3));
            Assert.That(table[0, 3], Is.EqualTo("Error cause"));
            Assert.That(table[1, 2], Does.Contain("Done"));
            Assert.That(table[1, 4], Is.EqualTo("10"));
            Assert.That(table[2, 3], Is.EqualTo(nameof(DmaErrorCause.DescriptorMisaligned)));
            Assert.That(table[2, 8], Is.EqualTo("asserted"));
        }

        [TestCase(0, 32, TestName = "NoChannels")]
        [TestCase(33, 32, TestName = "TooManyChannels")]
        [TestCase(4, 65, TestName = "TooManyAddressBits")]
        [TestCase(4, 0, TestName = "NoAddressBits")]
        public void BadPlatformPropertiesFailConstruction(int channels, int addressBits)
        {
            var bus = new InMemoryBus(new PhysicalRam(Array.Empty<RenodeFrameAlloc.Frames.BusRange>()));
            var machine = new VirtualTimeMachine(bus);
            Assert.Throws<ConstructionException>(() => new ScatterGatherDma(machine, channels: channels, addressBits: addressBits));
        }

        [Test]
        public void WindowFromBaseAndSize()
        {
            var bus = new InMemoryBus(new PhysicalRam(Array.Empty<RenodeFrameAlloc.Frames.BusRange>()));
            var dma = new ScatterGatherDma(new VirtualTimeMachine(bus), windowBase: 0x8000_0000, windowSize: 0x100_0000);
            Assert.That(dma.ReadDoubleWord(0x10), Is.EqualTo(0x8000_0000));
            Assert.That(dma.ReadDoubleWord(0x18), Is.EqualTo(0x80FF_FFFF));
        }

        [Test]
        public void TransientStateIsRebuiltAfterASnapshotLoad()
        {
            var platform = new DmaPlatform(bandwidth: 1_000_000);
            var data = platform.Fill(0x10_0000, 1000, 1);
            platform.PutDescriptor(0x1000, 0x10_0000, 0x20_0000, 1000, DmaDescriptorControl.EndOfChain);
            platform.Start(0, 0x1000);

            // What Migrant does: transient fields come back as defaults, then the hook runs.
            var transient = typeof(ScatterGatherDma).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                .Where(f => f.GetCustomAttribute<TransientAttribute>() != null).ToList();
            Assert.That(transient.Select(f => f.Name), Is.EquivalentTo(new[] { "memory", "ownRangesKnown" }));
            foreach(var field in transient)
            {
                field.SetValue(platform.Dma, field.FieldType.IsValueType ? Activator.CreateInstance(field.FieldType) : null);
            }
            var hook = typeof(ScatterGatherDma).GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                .Single(m => m.GetCustomAttribute<LatePostDeserializationAttribute>() != null);
            Assert.That(typeof(ScatterGatherDma).GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                .Where(m => m.GetCustomAttribute<PostDeserializationAttribute>() != null), Is.Empty,
                "an early hook runs before Renode restored the machine's bus controllers");
            hook.Invoke(platform.Dma, null);

            Assert.That(transient.Single(f => f.Name == "memory").GetValue(platform.Dma), Is.Not.Null);
            Assert.That(platform.Machine.PendingActions, Is.EqualTo(2), "the wake is asked for again");
            platform.Machine.AdvanceTime(TimeInterval.FromMilliseconds(5));
            Assert.That(platform.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(platform.ReadRegister(Channel(0, DescriptorsDone)), Is.EqualTo(1), "the transfer completed once, not twice");
            Assert.That(platform.Bus.ReadBytes(0x20_0000, 1000), Is.EqualTo(data));

            // The register ranges were relearned: self-targeting is still caught.
            platform.PutDescriptor(0x1000, 0x10_0000, DmaBase, 16, DmaDescriptorControl.EndOfChain);
            platform.Start(0, 0x1000);
            platform.Machine.AdvanceTime(TimeInterval.FromMilliseconds(1));
            Assert.That(platform.Cause(0), Is.EqualTo(DmaErrorCause.RegisterOverlap));
        }

        [Test]
        public void NoDelegateIsSerialized()
        {
            var fields = typeof(ScatterGatherDma).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
            var delegates = fields.Where(f => typeof(Delegate).IsAssignableFrom(f.FieldType) && f.GetCustomAttribute<TransientAttribute>() == null);
            Assert.That(delegates.Select(f => f.Name), Is.Empty);
        }

        private sealed class ThrowingTranslator : IIoTranslator
        {
            public TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
                out ulong physicalAddress, out ulong bytesInPage)
            {
                throw new InvalidOperationException("broken translator");
            }

            public void Cancel(ITranslationRequester waiter)
            {
            }
        }
    }
}
