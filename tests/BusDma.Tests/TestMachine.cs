using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.BusDma.Memory;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // The layout of the issue: isa [0, 16 MiB), dma32 [16 MiB, 4 GiB), high [4 GiB, 8 GiB), with
    // an allocator, an in-memory RAM and a bus_dma layer over them.
    public sealed class TestMachine
    {
        public const ulong MiB = 1UL << 20;
        public const ulong GiB = 1UL << 30;
        public const ulong Page = 4096;
        public const ulong IsaEnd = 16 * MiB;
        public const ulong Dma32End = 4 * GiB;
        public const ulong HighEnd = 8 * GiB;

        public TestMachine(DmaCheckerMode checker = DmaCheckerMode.Coherent, int bouncePoolLimitPages = 1024)
        {
            Ranges = new[]
            {
                new BusRange("isa", 0, IsaEnd),
                new BusRange("dma32", IsaEnd, Dma32End - IsaEnd),
                new BusRange("high", Dma32End, HighEnd - Dma32End)
            };
            Allocator = new FrameAllocator(Ranges);
            Ram = new PhysicalRam(Ranges);
            Layer = new BusDmaLayer(Allocator, Ram, new BusDmaOptions { Checker = checker, BouncePoolLimitPages = bouncePoolLimitPages });
        }

        public BusRange[] Ranges { get; }
        public FrameAllocator Allocator { get; }
        public PhysicalRam Ram { get; }
        public BusDmaLayer Layer { get; }
        public DmaChecker Checker => Layer.Checker;
        public IPhysicalMemory Cpu => Layer.CpuMemory;
        public IPhysicalMemory Device => Layer.DeviceMemory;

        public DmaTag Tag(string name, DmaTagLimits limits)
        {
            var result = Layer.CreateTag(name, limits);
            Assert.That(result.Succeeded, result.ToString());
            return result.Value;
        }

        public DmaTag IsaTag(string name = "isa-device")
        {
            return Tag(name, DmaTagLimits.Window(0, IsaEnd));
        }

        public DmaMap Map(DmaTag tag, ulong maxSize, int maxSegments = 0, ulong maxSegmentSize = 0, ulong boundary = 0)
        {
            var result = Layer.CreateMap(tag, maxSize, maxSegments, maxSegmentSize, boundary);
            Assert.That(result.Succeeded, result.ToString());
            return result.Value;
        }

        // A driver buffer: frames borrowed from the allocator in one range, contiguous.
        public ulong Buffer(string range, ulong size)
        {
            var c = AllocationConstraints.Contiguous;
            c.PreferredRange = range;
            var r = Ranges.First(x => x.Name == range);
            c.Low = r.Base;
            c.High = r.End;
            var result = Allocator.Allocate(size, c);
            Assert.That(result.Succeeded, result.ToString());
            return result.Segments[0].Address;
        }

        public static byte[] Pattern(int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        public void CpuWrite(ulong address, byte[] data)
        {
            Assert.That(Cpu.TryWrite(address, data), Is.True);
        }

        public byte[] CpuRead(ulong address, int length)
        {
            var data = new byte[length];
            Assert.That(Cpu.TryRead(address, data), Is.True);
            return data;
        }

        // What a scatter-gather device does: reads every segment in order, one access each.
        public byte[] DeviceReadSegments(DmaMap map)
        {
            var data = new List<byte>();
            foreach(var segment in map.Segments)
            {
                var part = new byte[segment.Length];
                Assert.That(Device.TryRead(segment.Address, part), Is.True);
                data.AddRange(part);
            }
            return data.ToArray();
        }

        public void DeviceWriteSegments(DmaMap map, byte[] data)
        {
            var done = 0;
            foreach(var segment in map.Segments)
            {
                var count = (int)Math.Min(segment.Length, (ulong)(data.Length - done));
                if(count == 0)
                {
                    break;
                }
                Assert.That(Device.TryWrite(segment.Address, data.AsSpan(done, count)), Is.True);
                done += count;
            }
        }

        public IReadOnlyList<DmaFinding> Findings => Checker.Findings;

        public string DescribeFindings()
        {
            return string.Join(Environment.NewLine, Checker.Findings);
        }

        // The allocator's state per range (free and wired frames), for "nothing allocated" checks.
        public string AllocatorState()
        {
            return string.Join("; ", Allocator.GetStatistics().Select(s => $"{s.Name} free {s.Free} wired {s.Wired}"));
        }
    }
}
