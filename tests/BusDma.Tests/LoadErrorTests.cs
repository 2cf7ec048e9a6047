using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // Each way a load can fail has its own error and names the numbers involved; a failed load
    // leaves the map unloaded and the allocator (and the bounce pool) as they were.
    public class LoadErrorTests
    {
        [Test]
        public void BufferTooLargeNamesBothSizes()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 4 * Page);
            var result = m.Layer.Load(map, m.Buffer("isa", 8 * Page), 4 * Page + 1);
            AssertFailedCleanly(m, map, result, DmaError.BufferTooLarge, "0x4001", "0x4000");
        }

        [Test]
        public void TooManySegmentsNamesNeededAndAllowed()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 1 * MiB, 4);
            var area = m.Buffer("isa", 10 * Page);
            // Five pages with gaps between them: five segments.
            var pieces = Enumerable.Range(0, 5).Select(i => new Segment(area + (ulong)i * 2 * Page, Page)).ToArray();
            var before = m.AllocatorState();
            var result = m.Layer.Load(map, pieces);
            AssertFailedCleanly(m, map, result, DmaError.TooManySegments, "need 5 segments", "allows 4");
            Assert.That(m.AllocatorState(), Is.EqualTo(before));
        }

        [Test]
        public void TooManySegmentsAfterBouncingGivesTheBouncePagesBack()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 1 * MiB, 2);
            var low = m.Buffer("isa", 8 * Page);
            var high = m.Buffer("high", 8 * Page);
            // isa, high, isa, high, isa with gaps: the bounced pieces cannot merge with the direct ones.
            var pieces = new[]
            {
                new Segment(low, Page), new Segment(high, Page), new Segment(low + 2 * Page, Page),
                new Segment(high + 2 * Page, Page), new Segment(low + 4 * Page, Page)
            };
            var before = m.AllocatorState();
            var result = m.Layer.Load(map, pieces);
            AssertFailedCleanly(m, map, result, DmaError.TooManySegments, "allows 2");
            Assert.That(m.AllocatorState(), Is.EqualTo(before), "bounce pages taken for the failed load went back to the allocator");
            Assert.That(map.Tag.BouncePool.Pages, Is.EqualTo(0));
        }

        [Test]
        public void NoBounceMemoryWhenThePoolLimitIsReached()
        {
            var m = new TestMachine(bouncePoolLimitPages: 4);
            var map = m.Map(m.IsaTag(), 1 * MiB);
            var buffer = m.Buffer("high", 8 * Page);
            var before = m.AllocatorState();
            var result = m.Layer.Load(map, buffer, 8 * Page);
            AssertFailedCleanly(m, map, result, DmaError.NoBounceMemory, "needs 8 more bounce pages", "at most 4");
            Assert.That(m.AllocatorState(), Is.EqualTo(before));
        }

        [Test]
        public void NoBounceMemoryWhenTheAllocatorHasNoFramesInTheWindow()
        {
            var m = new TestMachine();
            // 16 frames below 64 KiB; a 32-page buffer cannot bounce there.
            var tiny = m.Tag("tiny-window", DmaTagLimits.Window(0, 64 * 1024));
            var map = m.Map(tiny, 1 * MiB);
            var buffer = m.Buffer("dma32", 32 * Page);
            var before = m.AllocatorState();
            var result = m.Layer.Load(map, buffer, 32 * Page);
            AssertFailedCleanly(m, map, result, DmaError.NoBounceMemory, "needs 32 more bounce pages", "frame allocator refused");
            Assert.That(m.Layer.LastAllocationError, Is.EqualTo(AllocationError.None), "LastAllocationError is for DMA memory only");
            Assert.That(m.AllocatorState(), Is.EqualTo(before));
            Assert.That(tiny.BouncePool.GrowthFailures, Is.EqualTo(1));
        }

        [Test]
        public void InvalidBuffers()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 1 * MiB);
            AssertFailedCleanly(m, map, m.Layer.Load(map, new Segment[0]), DmaError.InvalidBuffer, "empty");
            AssertFailedCleanly(m, map, m.Layer.Load(map, HighEnd + Page, Page), DmaError.InvalidBuffer, "not memory");
            AssertFailedCleanly(m, map, m.Layer.Load(map, ulong.MaxValue - 10, 100), DmaError.InvalidBuffer, "wraps");
            AssertFailedCleanly(m, map, m.Layer.Load(map, HighEnd - Page, 2 * Page), DmaError.InvalidBuffer, "0x1FFFFF000", "not memory");
        }

        [Test]
        public void RawSegmentsAreNeverBounced()
        {
            var m = new TestMachine();
            var tag = m.Tag("aligned-isa", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 256, MaxSegments = 8 });
            var map = m.Map(tag, 1 * MiB);
            var high = m.Buffer("high", Page);
            AssertFailedCleanly(m, map, m.Layer.LoadRaw(map, new[] { new Segment(high, Page) }, Page), DmaError.UnreachableSegment, "outside the window");
            var low = m.Buffer("isa", Page);
            AssertFailedCleanly(m, map, m.Layer.LoadRaw(map, new[] { new Segment(low + 8, 64) }, 64), DmaError.UnreachableSegment, "misaligned");
            AssertFailedCleanly(m, map, m.Layer.LoadRaw(map, new[] { new Segment(low, 64) }, 128), DmaError.InvalidBuffer, "fewer than the 0x80");
            Assert.That(tag.BouncePool.Pages, Is.EqualTo(0));
            // A raw load takes only `size` bytes of the segments.
            Assert.That(m.Layer.LoadRaw(map, new[] { new Segment(low, Page) }, 100).Succeeded, Is.True);
            Assert.That(map.Segments, Is.EqualTo(new[] { new Segment(low, 100) }));
        }

        [Test]
        public void LoadingALoadedOrDestroyedMapFails()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 1 * MiB);
            var buffer = m.Buffer("isa", Page);
            Assert.That(m.Layer.Load(map, buffer, Page).Succeeded, Is.True);
            var again = m.Layer.Load(map, buffer, Page);
            Assert.That(again.Error, Is.EqualTo(DmaError.AlreadyLoaded));
            Assert.That(map.IsLoaded && map.MapSize == Page, Is.True, "the first load stays");
            m.Layer.Unload(map);
            m.Layer.DestroyMap(map);
            Assert.That(m.Layer.Load(map, buffer, Page).Error, Is.EqualTo(DmaError.MapDestroyed));
            Assert.That(m.Layer.DestroyMap(map).Error, Is.EqualTo(DmaError.MapDestroyed));
        }

        [Test]
        public void EveryLoadFailureHasItsOwnError()
        {
            var seen = new HashSet<DmaError>();
            var m = new TestMachine(bouncePoolLimitPages: 2);
            var isa = m.IsaTag();
            var small = m.Map(isa, Page, 1);
            var area = m.Buffer("isa", 4 * Page);
            seen.Add(m.Layer.Load(small, area, 2 * Page).Error);
            seen.Add(m.Layer.Load(small, new[] { new Segment(area, 64), new Segment(area + 128, 64) }).Error);
            seen.Add(m.Layer.Load(m.Map(isa, 1 * MiB), m.Buffer("high", 4 * Page), 4 * Page).Error);
            seen.Add(m.Layer.Load(small, new Segment[0]).Error);
            seen.Add(m.Layer.LoadRaw(small, new[] { new Segment(HighEnd - Page, 64) }, 64).Error);
            Assert.That(seen, Is.EquivalentTo(new[]
            {
                DmaError.BufferTooLarge, DmaError.TooManySegments, DmaError.NoBounceMemory, DmaError.InvalidBuffer, DmaError.UnreachableSegment
            }));
            Assert.That(m.Layer.GetStatistics().FailedLoads, Is.EqualTo(5));
            Assert.That(m.Layer.GetStatistics().Loads, Is.EqualTo(0));
        }

        private static void AssertFailedCleanly(TestMachine m, DmaMap map, DmaResult result, DmaError error, params string[] numbers)
        {
            Assert.That(result.Error, Is.EqualTo(error), result.ToString());
            foreach(var n in numbers)
            {
                Assert.That(result.Message, Does.Contain(n));
            }
            Assert.That(map.IsLoaded, Is.False);
            Assert.That(map.MapSize, Is.EqualTo(0));
            Assert.That(map.Segments, Is.Empty);
            Assert.That(map.BouncePageCount, Is.EqualTo(0));
            Assert.That(m.Layer.GetStatistics().BouncePagesInUse, Is.EqualTo(0));
        }
    }
}
