using System;
using System.Buffers.Binary;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices.FramePool;

namespace RenodeFrameAlloc.Devices.Tests.FramePool
{
    // The frame-pool device as guest software drives it: registers only, results in guest RAM.
    public class FramePoolTests
    {
        private const ulong ResultArea = 0x80000;

        [SetUp]
        public void SetUp()
        {
            ranges = new[]
            {
                new BusRange("isa", 0, 1UL << 20),
                new BusRange("dma32", 16UL << 20, 16UL << 20),
                new BusRange("high", 4UL << 30, 16UL << 20)
            };
            ram = new PhysicalRam(ranges);
            allocator = new FrameAllocator(ranges);
            host = new RecordingHost();
            device = new FramePoolDeviceModel(allocator, ram, host);
        }

        [Test]
        public void IdentifiesItself()
        {
            Assert.That(Read(0x00), Is.EqualTo(FramePoolDeviceModel.Magic));
            Assert.That(Read(0x60), Is.EqualTo(3u), "RANGE_COUNT");
        }

        [Test]
        public void BorrowsFromEachRangeAndReturns()
        {
            for(var range = 1u; range <= 3; range++)
            {
                Request(size: 3 * 4096, low: 0, high: ulong.MaxValue, maxSegments: 1, preferred: range, capacity: 4);
                Command(FramePoolCommand.Allocate);
                Assert.That(Read(0x0C), Is.EqualTo(FramePoolDeviceModel.StatusDone), allocator.LastFailureMessage);
                Assert.That(Read(0x5C), Is.EqualTo(1u), "one contiguous segment");
                var (address, length) = Entry(0);
                Assert.That(ranges[range - 1].Contains(address), Is.True, $"segment 0x{address:X} comes from the preferred range");
                Assert.That(length, Is.EqualTo(3UL * 4096));
                Assert.That(allocator.GetPageState(address), Is.EqualTo(PageState.Wired));

                Command(FramePoolCommand.Free);
                Assert.That(Read(0x0C), Is.EqualTo(FramePoolDeviceModel.StatusDone));
                Assert.That(allocator.GetPageState(address), Is.EqualTo(PageState.Free));
            }
        }

        [Test]
        public void ConstraintsReachTheAllocator()
        {
            Request(size: 64 << 10, low: 0, high: 1UL << 20, maxSegments: 1, preferred: 0, capacity: 1);
            Write64(0x30, 64 << 10);
            Write64(0x38, 64 << 10);
            Command(FramePoolCommand.Allocate);
            var (address, length) = Entry(0);
            Assert.That(Read(0x10), Is.EqualTo(0u));
            Assert.That(address % (64 << 10), Is.EqualTo(0UL));
            Assert.That(address + length, Is.LessThanOrEqualTo(1UL << 20));
        }

        [Test]
        public void ExhaustionGivesTheAllocatorsError()
        {
            Request(size: 2UL << 20, low: 0, high: 1UL << 20, maxSegments: 1, preferred: 0, capacity: 1);
            var before = allocator.FormatStatistics();
            var warning = Command(FramePoolCommand.Allocate);
            Assert.That(Read(0x0C), Is.EqualTo(FramePoolDeviceModel.StatusDone | FramePoolDeviceModel.StatusError));
            Assert.That(Read(0x10), Is.EqualTo((uint)AllocationError.InvalidWindow), "window narrower than the request");
            Assert.That(warning, Does.Contain("0x200000"));

            // Fill the isa range, then ask once more.
            Request(size: 1UL << 20, low: 0, high: 1UL << 20, maxSegments: 1, preferred: 0, capacity: 1);
            Command(FramePoolCommand.Allocate);
            Assert.That(Read(0x10), Is.EqualTo(0u));
            Request(size: 4096, low: 0, high: 1UL << 20, maxSegments: 1, preferred: 0, capacity: 1);
            warning = Command(FramePoolCommand.Allocate);
            Assert.That(Read(0x10), Is.EqualTo((uint)AllocationError.InsufficientMemory));
            Assert.That(warning, Is.Not.Null.And.Contains("isa 0 of 1 needed"));
            Assert.That(before, Is.Not.EqualTo(allocator.FormatStatistics()));
        }

        [Test]
        public void ScatteredAllocationFillsTheResultArea()
        {
            // Fragment isa so 8 pages cannot be contiguous there.
            var taken = new Segment[256];
            for(var i = 0; i < 256; i++)
            {
                var c = AllocationConstraints.Window((ulong)i * 4096, (ulong)(i + 1) * 4096);
                taken[i] = i % 2 == 0 ? allocator.Allocate(4096, c).Segments[0] : default;
            }
            Request(size: 8 * 4096, low: 0, high: 256 * 4096, maxSegments: 8, preferred: 0, capacity: 8);
            Command(FramePoolCommand.Allocate);
            Assert.That(Read(0x10), Is.EqualTo(0u), allocator.LastFailureMessage);
            Assert.That(Read(0x5C), Is.EqualTo(8u));
            for(var i = 1; i < 8; i++)
            {
                Assert.That(Entry(i).address, Is.GreaterThan(Entry(i - 1).address), "ascending");
            }
            Command(FramePoolCommand.Free);
            Assert.That(Read(0x10), Is.EqualTo(0u));
        }

        [Test]
        public void BadFreesAreRefusedAndChangeNothing()
        {
            Request(size: 2 * 4096, low: 0, high: ulong.MaxValue, maxSegments: 1, preferred: 0, capacity: 1);
            Command(FramePoolCommand.Allocate);
            var (address, _) = Entry(0);

            // Part of the allocation.
            WriteEntry(0, address, 4096);
            Write(0x5C, 1);
            Command(FramePoolCommand.Free);
            Assert.That(Read(0x10), Is.EqualTo((uint)AllocationError.PartialFree));
            Assert.That(allocator.GetPageState(address), Is.EqualTo(PageState.Wired));

            // The whole, then again.
            WriteEntry(0, address, 2 * 4096);
            Command(FramePoolCommand.Free);
            Assert.That(Read(0x10), Is.EqualTo(0u));
            Command(FramePoolCommand.Free);
            Assert.That(Read(0x10), Is.EqualTo((uint)AllocationError.NotAllocated));
        }

        [Test]
        public void GuestMistakesAreErrorsNotExceptions()
        {
            Request(size: 4096, low: 0, high: ulong.MaxValue, maxSegments: 1, preferred: 0, capacity: 1);
            Write64(0x50, 0x7000_0000); // no RAM there
            Assert.That(Command(FramePoolCommand.Allocate), Is.Not.Null);
            Assert.That(Read(0x10), Is.EqualTo((uint)FramePoolError.ResultAreaNotInMemory));
            Assert.That(allocator.GetStatistics("high").Wired, Is.EqualTo(0), "nothing leaked");

            Write64(0x50, ResultArea);
            Write(0x58, 0);
            Command(FramePoolCommand.Allocate);
            Assert.That(Read(0x10), Is.EqualTo((uint)FramePoolError.BadSegmentCount));

            Assert.That(Command((FramePoolCommand)99), Is.Not.Null);
            Assert.That(Read(0x10), Is.EqualTo((uint)FramePoolError.UnknownCommand));

            Write(0x58, 1);
            Write(0x44, 9);
            Command(FramePoolCommand.Allocate);
            Assert.That(Read(0x10), Is.EqualTo((uint)FramePoolError.UnknownPreferredRange));

            var logged = host.Messages.Count;
            device.Write(0x0C, 1);
            Assert.That(host.LastMessageSince(logged), Is.Not.Null, "STATUS is read-only");
            logged = host.Messages.Count;
            device.Read(0xFC);
            Assert.That(host.LastMessageSince(logged), Is.Not.Null);

            Command(FramePoolCommand.ClearStatus);
            Assert.That(Read(0x0C), Is.EqualTo(0u));
        }

        [Test]
        public void StatisticsRegistersFollowTheSelectedRange()
        {
            Request(size: 5 * 4096, low: 0, high: ulong.MaxValue, maxSegments: 1, preferred: 2, capacity: 1);
            Command(FramePoolCommand.Allocate);
            Write(0x64, 1);
            Assert.That(Read(0x80) | ((ulong)Read(0x84) << 32), Is.EqualTo(16UL << 20), "BASE");
            Assert.That(Read(0x90), Is.EqualTo(4096u), "PAGE_SIZE");
            Assert.That(Read(0x94), Is.EqualTo(4096u), "PAGES");
            Assert.That(Read(0x98), Is.EqualTo(4096u - 5), "FREE");
            Assert.That(Read(0x9C), Is.EqualTo(5u), "WIRED");
            Assert.That(Read(0xAC), Is.EqualTo(1u), "ALLOCATIONS");
            Write(0x64, 7);
            Read(0x98);
            Assert.That(Read(0x10), Is.EqualTo((uint)FramePoolError.UnknownRangeIndex));
        }

        [Test]
        public void RandomRegisterTrafficNeverThrowsNorLeaks()
        {
            var random = new Random(7);
            var offsets = new long[] { 0x08, 0x18, 0x1C, 0x20, 0x24, 0x28, 0x2C, 0x30, 0x34, 0x38, 0x3C, 0x40, 0x44, 0x48, 0x4C, 0x50, 0x54, 0x58, 0x5C, 0x64, 0x90, 0xFC };
            for(var step = 0; step < 20000; step++)
            {
                var offset = offsets[random.Next(offsets.Length)];
                var value = random.Next(4) switch
                {
                    0 => (uint)random.Next(0, 4),
                    1 => (uint)random.Next(),
                    2 => 1u << random.Next(12, 24),
                    _ => 0u
                };
                if(offset == 0x50 && random.Next(2) == 0)
                {
                    value = (uint)ResultArea;
                }
                Assert.DoesNotThrow(() => device.Write(offset, value));
                Assert.DoesNotThrow(() => device.Read(offset));
            }
            var stats = allocator.GetStatistics();
            foreach(var s in stats)
            {
                Assert.That(s.Free + s.Wired + s.Active + s.Inactive, Is.EqualTo(s.Pages), s.Name);
            }
        }

        private void Request(ulong size, ulong low, ulong high, uint maxSegments, uint preferred, uint capacity)
        {
            Write64(0x18, size);
            Write64(0x20, low);
            Write64(0x28, high);
            Write64(0x30, 0);
            Write64(0x38, 0);
            Write(0x40, maxSegments);
            Write(0x44, preferred);
            Write64(0x48, 0);
            Write64(0x50, ResultArea);
            Write(0x58, capacity);
        }

        // The line the command logged, or null.
        private string Command(FramePoolCommand command)
        {
            var logged = host.Messages.Count;
            device.Write(0x08, (uint)command);
            return host.LastMessageSince(logged);
        }

        private (ulong address, ulong length) Entry(int index)
        {
            var bytes = ram.Read(ResultArea + (ulong)index * 16, 16);
            return (BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        }

        private void WriteEntry(int index, ulong address, ulong length)
        {
            var bytes = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, address);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), length);
            ram.Write(ResultArea + (ulong)index * 16, bytes);
        }

        private uint Read(long offset)
        {
            return device.Read(offset);
        }

        private void Write(long offset, uint value)
        {
            var logged = host.Messages.Count;
            device.Write(offset, value);
            Assert.That(host.LastMessageSince(logged), Is.Null, $"write to 0x{offset:X}");
        }

        private void Write64(long offset, ulong value)
        {
            Write(offset, (uint)value);
            Write(offset + 4, (uint)(value >> 32));
        }

        private BusRange[] ranges;
        private PhysicalRam ram;
        private FrameAllocator allocator;
        private FramePoolDeviceModel device;
        private RecordingHost host;
    }
}
