using System;
using System.Buffers.Binary;
using System.Linq;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Peripherals.Tests.Snapshots;
using RenodeFrameAlloc.StandIn.Testing;

namespace RenodeFrameAlloc.Peripherals.Tests.FramePool
{
    // The frame-pool peripheral as a .repl builds it, driven by CPU stores on the bus.
    public class FramePoolDeviceTests
    {
        private const ulong PoolBase = 0x1000_0000;
        private const ulong ResultArea = 0x8000;

        [SetUp]
        public void SetUp()
        {
            LogCapture.Clear();
            var ranges = new[] { new BusRange("low", 0, 16UL << 20), new BusRange("high", 0x8000_0000, 16UL << 20) };
            bus = new InMemoryBus(new PhysicalRam(ranges));
            var machine = new VirtualTimeMachine(bus);
            pool = new FramePoolDevice(machine, "low@0x0+16M; high@0x80000000+16M");
            bus.Register(pool, new BusRangeRegistration(PoolBase, (ulong)pool.Size));
        }

        [Test]
        public void BorrowsThroughTheBusAndWritesTheResultToRam()
        {
            Request(64 << 10, high: 16UL << 20);
            Write(0x08, 1);

            Assert.That(Read(0x0C), Is.EqualTo(1u), "DONE, no ERROR");
            Assert.That(Read(0x5C), Is.EqualTo(1u));
            var entry = bus.ReadBytes(ResultArea, 16);
            var address = BinaryPrimitives.ReadUInt64LittleEndian(entry);
            Assert.That(address + BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(8)), Is.LessThanOrEqualTo(16UL << 20));
            Assert.That(pool.Allocator.GetPageState(address), Is.EqualTo(PageState.Wired));
            Assert.That(pool.Statistics(), Does.Contain("low").And.Contain("high"));
        }

        [Test]
        public void GuestErrorsAreLoggedAsWarningsAndTheEmulationGoesOn()
        {
            Request(4096, high: 16UL << 20);
            Write(0x50, 0x4000_0000); // the result area is in no RAM
            Write(0x08, 1);
            Write(0x08, 77);
            Read(0xF8);

            Assert.That(Read(0x10), Is.EqualTo(34u), "the last error: unknown command");
            var warnings = LogCapture.From(pool, LogLevel.Warning).Select(e => e.Message).ToArray();
            Assert.That(warnings, Has.Some.Contains("is not RAM"));
            Assert.That(warnings, Has.Some.Contains("unknown command 77"));
            Assert.That(warnings, Has.Some.Contains("unknown register 0xF8"));
            Assert.That(LogCapture.From(pool, LogLevel.Error), Is.Empty, "guest mistakes are not internal errors");
        }

        [Test]
        public void ResetTakesEveryFrameBack()
        {
            Request(1 << 20, high: 16UL << 20);
            Write(0x08, 1);
            Assert.That(pool.Allocator.GetStatistics("low").Wired, Is.EqualTo(256));

            pool.Reset();

            Assert.That(pool.Allocator.GetStatistics("low").Wired, Is.Zero);
            Assert.That(Read(0x0C), Is.Zero);
        }

        [Test]
        public void TheBusViewIsRebuiltAfterASnapshotLoad()
        {
            Request(64 << 10, high: 16UL << 20);
            Write(0x08, 1);
            var before = bus.ReadBytes(ResultArea, 16);

            SimulatedSnapshotLoad.Apply(pool);
            Write(0x08, 2); // FREE the segment through the rebuilt view, then borrow again
            Assert.That(Read(0x0C), Is.EqualTo(1u), "DONE, no ERROR");
            bus.WriteBytes(new byte[16], ResultArea);
            Write(0x08, 1);

            Assert.That(Read(0x0C), Is.EqualTo(1u), "DONE, no ERROR");
            Assert.That(bus.ReadBytes(ResultArea, 16), Is.EqualTo(before), "the same frames, written through the new view");
            Assert.That(LogCapture.From(pool, LogLevel.Error), Is.Empty);
        }

        [Test]
        public void BadRangesAreAConstructionErrorNamingTheEntry()
        {
            var machine = new VirtualTimeMachine(bus);
            var error = Assert.Throws<ConstructionException>(() => new FramePoolDevice(machine, "low@0x0"));
            Assert.That(error.Message, Does.Contain("low@0x0"));
            error = Assert.Throws<ConstructionException>(() => new FramePoolDevice(machine, "a@0x0+16M; b@8M+16M"));
            Assert.That(error.Message, Does.Contain("overlap"));
        }

        [Test]
        public void RandomStoresNeverThrow()
        {
            var random = new Random(11);
            for(var i = 0; i < 20000; i++)
            {
                var offset = (long)random.Next(0, 0x40) * 4;
                var value = random.Next(3) == 0 ? (uint)random.Next(0, 4) : (uint)random.Next();
                Assert.DoesNotThrow(() => pool.WriteDoubleWord(offset, value));
                Assert.DoesNotThrow(() => pool.ReadDoubleWord(offset));
            }
            Assert.That(LogCapture.From(pool, LogLevel.Error), Is.Empty, "no internal error");
            foreach(var s in pool.Allocator.GetStatistics())
            {
                Assert.That(s.Free + s.Wired, Is.EqualTo(s.Pages));
            }
        }

        private void Request(ulong size, ulong high)
        {
            Write(0x18, (uint)size);
            Write(0x1C, (uint)(size >> 32));
            Write(0x20, 0);
            Write(0x24, 0);
            Write(0x28, (uint)high);
            Write(0x2C, (uint)(high >> 32));
            Write(0x40, 1);
            Write(0x50, (uint)ResultArea);
            Write(0x54, 0);
            Write(0x58, 1);
        }

        private uint Read(long offset)
        {
            return bus.ReadDoubleWord(PoolBase + (ulong)offset);
        }

        private void Write(long offset, uint value)
        {
            bus.WriteDoubleWord(PoolBase + (ulong)offset, value);
        }

        private InMemoryBus bus;
        private FramePoolDevice pool;
    }
}
