using System.Linq;
using CsCheck;
using NUnit.Framework;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    public class DmaMemoryTests
    {
        [Test]
        public void DmaMemorySatisfiesTheTagAndLoadsRaw()
        {
            var m = new TestMachine();
            var baseline = m.AllocatorState();
            var gen = Gen.Select(Gen.Int[0, 3], Gen.Int[12, 18], Gen.Int[-1, 4], Gen.Int[1, 8], Gen.Int[1, 40 * 4096]);
            gen.Sample((window, alignLog2, boundaryExtra, segments, size) =>
            {
                var (low, high) = window switch
                {
                    0 => (0UL, IsaEnd),
                    1 => (IsaEnd, Dma32End),
                    2 => (2 * MiB, 3 * MiB),
                    _ => (Dma32End, HighEnd)
                };
                var alignment = 1UL << alignLog2;
                var limits = new DmaTagLimits
                {
                    Low = low, High = high, Alignment = alignment, MaxSegments = segments,
                    Boundary = boundaryExtra < 0 ? 0 : alignment << (boundaryExtra + 2)
                };
                var tag = m.Layer.CreateTag("prop", limits).Value;
                var result = m.Layer.AllocateDmaMemory(tag, (ulong)size, 0, 0, segments);
                if(!result.Succeeded)
                {
                    // Only a contiguous request longer than the boundary can be refused here.
                    Assert.That(result.Error, Is.EqualTo(DmaError.AllocationFailed), result.ToString());
                    Assert.That(m.Layer.LastAllocationError, Is.EqualTo(AllocationError.InvalidBoundary).Or.EqualTo(AllocationError.Fragmented), result.ToString());
                    Assert.That(m.AllocatorState(), Is.EqualTo(baseline));
                    return;
                }
                var memory = result.Value;
                Assert.That(memory.Segments.Length, Is.InRange(1, segments));
                Assert.That(memory.Segments.ToArray().Sum(s => (long)s.Length), Is.GreaterThanOrEqualTo(size));
                foreach(var s in memory.Segments)
                {
                    Assert.That(s.Address >= low && s.End <= high, Is.True, memory.ToString());
                    Assert.That(s.Address % alignment, Is.EqualTo(0), memory.ToString());
                    if(limits.Boundary != 0)
                    {
                        Assert.That(s.Address / limits.Boundary, Is.EqualTo((s.End - 1) / limits.Boundary), memory.ToString());
                    }
                    Assert.That(m.Allocator.GetPageState(s.Address), Is.EqualTo(PageState.Wired));
                }
                var map = m.Layer.CreateMap(tag, (ulong)size).Value;
                var load = m.Layer.LoadDmaMemory(map, memory);
                Assert.That(load.Succeeded, load.ToString());
                SegmentOracle.AssertSatisfies(map, (ulong)size);
                Assert.That(map.IsBounced, Is.False);
                Assert.That(m.Layer.Unload(map).Succeeded, Is.True);
                Assert.That(m.Layer.FreeDmaMemory(memory).Succeeded, Is.True);
                Assert.That(m.AllocatorState(), Is.EqualTo(baseline));
            }, iter: 200, threads: 1);
            Assert.That(m.Findings, Is.Empty, m.DescribeFindings());
        }

        [Test]
        public void EverySegmentIsAlignedForTheTagWhenRangesHaveDifferentPageSizes()
        {
            // A 4 KiB-page range below a 64 KiB-page one: the tag's 16 KiB alignment is more
            // than the small pages guarantee and less than the large ones.
            var ranges = new[] { new BusRange("small", 0, 4 * MiB), new BusRange("large", 4 * MiB, 4 * MiB, 64 * 1024) };
            var allocator = new FrameAllocator(ranges);
            var layer = new BusDmaLayer(allocator, new PhysicalRam(ranges));
            allocator.Allocate(Page, AllocationConstraints.Window(0, 4 * MiB));
            foreach(var (low, high) in new[] { (0UL, 4 * MiB), (0UL, 8 * MiB) })
            {
                var limits = DmaTagLimits.Window(low, high);
                limits.Alignment = 16 * 1024;
                limits.MaxSegments = 8;
                var tag = layer.CreateTag("aligned", limits).Value;
                var memory = layer.AllocateDmaMemory(tag, 64 * 1024, 0, 0, 8);
                Assert.That(memory.Succeeded, memory.ToString());
                Assert.That(memory.Value.Segments.ToArray().All(s => s.Address % (16 * 1024) == 0), memory.Value.ToString());
                var map = layer.CreateMap(tag, 64 * 1024).Value;
                Assert.That(layer.LoadDmaMemory(map, memory.Value).Succeeded, Is.True);
                Assert.That(layer.Unload(map).Succeeded, Is.True);
                Assert.That(layer.FreeDmaMemory(memory.Value).Succeeded, Is.True);
            }
        }

        [Test]
        public void ABoundaryShorterThanAPageIsMetByTheLoad()
        {
            var m = new TestMachine();
            var limits = DmaTagLimits.Window(0, IsaEnd);
            limits.Boundary = 0x800;
            var tag = m.Layer.CreateTag("sub-page boundary", limits).Value;
            var memory = m.Layer.AllocateDmaMemory(tag, 2 * Page);
            Assert.That(memory.Succeeded, memory.ToString());
            var map = m.Layer.CreateMap(tag, 2 * Page).Value;
            Assert.That(m.Layer.LoadDmaMemory(map, memory.Value).Succeeded, Is.True);
            SegmentOracle.AssertSatisfies(map, 2 * Page);
            Assert.That(m.Layer.Unload(map).Succeeded, Is.True);
            Assert.That(m.Layer.FreeDmaMemory(memory.Value).Succeeded, Is.True);
        }

        [Test]
        public void AllocatorErrorsComeBackWithTheirNumbers()
        {
            var m = new TestMachine();
            var tag = m.IsaTag();
            var before = m.AllocatorState();
            var badAlignment = m.Layer.AllocateDmaMemory(tag, Page, 3 * Page);
            Assert.That(badAlignment.Error, Is.EqualTo(DmaError.AllocationFailed));
            Assert.That(m.Layer.LastAllocationError, Is.EqualTo(AllocationError.InvalidAlignment));
            Assert.That(badAlignment.Message, Does.Contain("InvalidAlignment").And.Contain("0x3000"));
            var tooBig = m.Layer.AllocateDmaMemory(tag, 32 * MiB, 0, 0, 1024);
            Assert.That(tooBig.Error, Is.EqualTo(DmaError.AllocationFailed));
            Assert.That(m.Layer.LastAllocationError, Is.EqualTo(AllocationError.InsufficientMemory).Or.EqualTo(AllocationError.InvalidWindow));
            Assert.That(m.AllocatorState(), Is.EqualTo(before));
        }

        [Test]
        public void FreedMemoryGoesBackAndCountersFollow()
        {
            var m = new TestMachine();
            var tag = m.IsaTag();
            var a = m.Layer.AllocateDmaMemory(tag, 3 * Page).Value;
            var b = m.Layer.AllocateDmaMemory(tag, 100).Value;
            Assert.That(m.Layer.GetStatistics().DmaMemoryAllocations, Is.EqualTo(2));
            Assert.That(m.Layer.GetStatistics().DmaMemoryBytes, Is.EqualTo(3 * Page + 100));
            Assert.That(m.Allocator.GetStatistics("isa").Wired, Is.EqualTo(4));
            Assert.That(m.Layer.FreeDmaMemory(a).Succeeded, Is.True);
            Assert.That(a.IsFreed, Is.True);
            Assert.That(m.Allocator.GetStatistics("isa").Wired, Is.EqualTo(1));
            Assert.That(m.Layer.LoadDmaMemory(m.Map(tag, Page), a).Error, Is.EqualTo(DmaError.InvalidBuffer));
            Assert.That(m.Layer.FreeDmaMemory(b).Succeeded, Is.True);
            Assert.That(m.Layer.GetStatistics().DmaMemoryAllocations, Is.EqualTo(0));
        }
    }
}
