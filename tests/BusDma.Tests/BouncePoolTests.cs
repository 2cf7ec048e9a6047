using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    public class BouncePoolTests
    {
        [Test]
        public void TagsWithTheSameWindowAndAlignmentShareOnePool()
        {
            var m = new TestMachine();
            var a = m.IsaTag("a");
            var b = m.Tag("b", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 1, MaxSegments = 4 });
            var derived = m.Layer.DeriveTag(a, "derived", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 1, MaxSegments = 2, Boundary = 64 * 1024 }).Value;
            var aligned = m.Tag("aligned", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 64, MaxSegments = 4 });
            var dma32 = m.Tag("dma32", DmaTagLimits.Window(0, Dma32End));

            Assert.That(b.BouncePool, Is.SameAs(a.BouncePool));
            Assert.That(derived.BouncePool, Is.SameAs(a.BouncePool));
            Assert.That(aligned.BouncePool, Is.Not.SameAs(a.BouncePool));
            Assert.That(dma32.BouncePool, Is.Not.SameAs(a.BouncePool));
            Assert.That(a.BouncePool.Tags, Is.EqualTo(3));
            Assert.That(m.Layer.BouncePools.Count, Is.EqualTo(3));

            // Pages one tag's map used are reused by another tag's map.
            var mapA = m.Map(a, 4 * Page);
            var mapB = m.Map(b, 4 * Page);
            var buffer = m.Buffer("high", 4 * Page);
            m.Layer.Load(mapA, buffer, 4 * Page);
            var pagesA = mapA.Segments.ToArray();
            m.Layer.Unload(mapA);
            m.Layer.Load(mapB, buffer, 4 * Page);
            Assert.That(mapB.Segments, Is.EqualTo(pagesA));
            Assert.That(a.BouncePool.Growths, Is.EqualTo(1));
        }

        [Test]
        public void TagReachingAllMemoryWithoutAlignmentHasNoPool()
        {
            var m = new TestMachine();
            Assert.That(m.Tag("all", DmaTagLimits.Unrestricted).BouncePool, Is.Null);
            Assert.That(m.Tag("aligned-all", new DmaTagLimits { Low = 0, High = HighEnd, Alignment = 4, MaxSegments = 1 }).BouncePool, Is.Not.Null);
        }

        [Test]
        public void PoolGrowsWithinItsLimitAndIsSharedUnderIt()
        {
            var m = new TestMachine(bouncePoolLimitPages: 6);
            var a = m.IsaTag("a");
            var b = m.IsaTag("b");
            var mapA = m.Map(a, 16 * Page);
            var mapB = m.Map(b, 16 * Page);
            var buffer = m.Buffer("high", 16 * Page);

            Assert.That(m.Layer.Load(mapA, buffer, 4 * Page).Succeeded, Is.True);
            Assert.That(a.BouncePool.Pages, Is.EqualTo(4));
            var refused = m.Layer.Load(mapB, buffer + 4 * Page, 4 * Page);
            Assert.That(refused.Error, Is.EqualTo(DmaError.NoBounceMemory));
            Assert.That(refused.Message, Does.Contain("holds 4").And.Contain("at most 6"));
            Assert.That(a.BouncePool.Pages, Is.EqualTo(4), "a refused growth grows nothing");
            Assert.That(m.Layer.Load(mapB, buffer + 4 * Page, 2 * Page).Succeeded, Is.True);
            Assert.That(a.BouncePool.Pages, Is.EqualTo(6));
            Assert.That(a.BouncePool.PagesInUse, Is.EqualTo(6));

            m.Layer.Unload(mapA);
            Assert.That(m.Layer.Load(m.Map(b, 4 * Page), buffer + 8 * Page, 4 * Page).Succeeded, Is.True, "freed pages serve the next load");
            Assert.That(a.BouncePool.Growths, Is.EqualTo(2));
            Assert.That(a.BouncePool.GrowthFailures, Is.EqualTo(1));
        }

        [Test]
        public void TrimGivesUnusedBouncePagesBackToTheAllocator()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 8 * Page);
            var buffer = m.Buffer("high", 8 * Page);
            var before = m.AllocatorState();
            m.Layer.Load(map, buffer, 8 * Page);
            Assert.That(m.Layer.TrimBouncePools(), Is.EqualTo(0), "pages in use stay");
            m.Layer.Unload(map);
            Assert.That(m.AllocatorState(), Is.Not.EqualTo(before), "the pool keeps its pages after unload");
            Assert.That(m.Layer.TrimBouncePools(), Is.EqualTo(8));
            Assert.That(m.AllocatorState(), Is.EqualTo(before));
        }

        [Test]
        public void AllocateNowFillsThePoolAtTagCreation()
        {
            var m = new TestMachine();
            var tag = m.Tag("eager", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 1, MaxSegments = 16, MaxSize = 64 * 1024, Flags = DmaTagFlags.AllocateNow });
            Assert.That(tag.BouncePool.Pages, Is.EqualTo(16));
            Assert.That(m.Allocator.GetStatistics("isa").Wired, Is.EqualTo(16));
            var map = m.Map(tag, 64 * 1024);
            Assert.That(m.Layer.Load(map, m.Buffer("high", 64 * 1024), 64 * 1024).Succeeded, Is.True);
            Assert.That(tag.BouncePool.Growths, Is.EqualTo(1), "the load needed no growth");
            m.Layer.Unload(map);
            m.Layer.TrimBouncePools();
            Assert.That(m.Allocator.GetStatistics("isa").Wired, Is.EqualTo(0));
        }

        [Test]
        public void AllocateNowBeyondThePoolLimitCreatesNothing()
        {
            var m = new TestMachine(bouncePoolLimitPages: 8);
            var before = m.AllocatorState();
            var result = m.Layer.CreateTag("eager", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 1, MaxSegments = 16, MaxSize = 64 * 1024, Flags = DmaTagFlags.AllocateNow });
            Assert.That(result.Error, Is.EqualTo(DmaError.NoBounceMemory));
            Assert.That(result.Message, Does.Contain("at most 8"));
            Assert.That(m.Layer.Tags, Is.Empty);
            Assert.That(m.Layer.BouncePools, Is.Empty);
            Assert.That(m.AllocatorState(), Is.EqualTo(before));
        }

        [Test]
        public void AlignmentLargerThanAPageMakesLargerBouncePages()
        {
            var m = new TestMachine();
            var tag = m.Tag("16k-aligned", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 16 * 1024, MaxSegments = 8 });
            Assert.That(tag.BouncePool.PageSize, Is.EqualTo(16 * 1024));
            var map = m.Map(tag, 64 * 1024);
            var buffer = m.Buffer("isa", 8 * Page) + 100;
            Assert.That(m.Layer.Load(map, buffer, 5000).Succeeded, Is.True);
            SegmentOracle.AssertSatisfies(map, 5000);
            Assert.That(map.BouncePageCount, Is.EqualTo(1));
        }

        [Test]
        public void CountersFollowLoadsBouncesPagesAndCopies()
        {
            var m = new TestMachine();
            var tag = m.IsaTag();
            var direct = m.Map(tag, 16 * Page);
            var bounced = m.Map(tag, 16 * Page);
            m.Layer.Load(direct, m.Buffer("isa", 16 * Page), 16 * Page);
            m.Layer.Load(bounced, m.Buffer("high", 16 * Page), 10 * Page + 1);
            var during = m.Layer.GetStatistics();
            Assert.That(during.Loads, Is.EqualTo(2));
            Assert.That(during.BouncedLoads, Is.EqualTo(1));
            Assert.That(during.BouncePagesInUse, Is.EqualTo(11));
            Assert.That(during.LoadedMaps, Is.EqualTo(2));

            m.Layer.Sync(direct, 0, direct.MapSize, DmaSyncOperation.PreWrite);
            m.Layer.Sync(bounced, 0, bounced.MapSize, DmaSyncOperation.PreWrite);
            m.Layer.Sync(bounced, 0, bounced.MapSize, DmaSyncOperation.PostRead);
            m.Layer.Unload(direct);
            m.Layer.Unload(bounced);
            var after = m.Layer.GetStatistics();
            Assert.That(after.Syncs, Is.EqualTo(3));
            Assert.That(after.BytesCopied, Is.EqualTo(2 * (10 * Page + 1)), "only the bounced map copies, once each way");
            Assert.That(tag.BouncePool.BytesCopied, Is.EqualTo(after.BytesCopied));
            Assert.That(after.Unloads, Is.EqualTo(2));
            Assert.That(after.BouncePagesInUse, Is.EqualTo(0));
            Assert.That(after.BouncePages, Is.EqualTo(11));
            Assert.That(after.ToString(), Does.Contain("loads 2 (bounced 1"));
        }
    }
}
