using System.Linq;
using NUnit.Framework;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    public class TagTests
    {
        private static DmaTagLimits Parent => new DmaTagLimits
        {
            Low = 1 * MiB,
            High = Dma32End,
            Alignment = 16,
            Boundary = 1 * MiB,
            MaxSegmentSize = 64 * 1024,
            MaxSegments = 32,
            MaxSize = 4 * MiB
        };

        [Test]
        public void DerivedTagMayNarrowEveryLimit()
        {
            var m = new TestMachine();
            var parent = m.Tag("parent", Parent);
            var child = m.Layer.DeriveTag(parent, "child", new DmaTagLimits
            {
                Low = 2 * MiB, High = IsaEnd, Alignment = 64, Boundary = 64 * 1024, MaxSegmentSize = 4096, MaxSegments = 4, MaxSize = 1 * MiB
            });
            Assert.That(child.Succeeded, child.ToString());
            Assert.That(child.Value.Parent, Is.SameAs(parent));
            Assert.That(child.Value.Low, Is.EqualTo(2 * MiB));
            Assert.That(child.Value.MaxSegments, Is.EqualTo(4));
            // Identical limits are a (trivial) narrowing too.
            Assert.That(m.Layer.DeriveTag(parent, "same", Parent).Succeeded, Is.True);
        }

        [TestCase("window", 0x80000UL, 0UL, 0UL, 0UL, 0UL, 0, 0UL, "0x80000")]
        [TestCase("window", 0UL, 0x100000001UL, 0UL, 0UL, 0UL, 0, 0UL, "0x100000001")]
        [TestCase("alignment", 0UL, 0UL, 8UL, 0UL, 0UL, 0, 0UL, "0x8")]
        [TestCase("boundary", 0UL, 0UL, 0UL, 0x200000UL, 0UL, 0, 0UL, "0x200000")]
        [TestCase("boundary", 0UL, 0UL, 0UL, 1UL, 0UL, 0, 0UL, "none")]
        [TestCase("max segment size", 0UL, 0UL, 0UL, 0UL, 0x20000UL, 0, 0UL, "0x20000")]
        [TestCase("max segment size", 0UL, 0UL, 0UL, 0UL, 1UL, 0, 0UL, "none")]
        [TestCase("max segments", 0UL, 0UL, 0UL, 0UL, 0UL, 33, 0UL, "33")]
        [TestCase("max size", 0UL, 0UL, 0UL, 0UL, 0UL, 0, 0x800000UL, "0x800000")]
        [TestCase("max size", 0UL, 0UL, 0UL, 0UL, 0UL, 0, 1UL, "none")]
        public void WideningAnyLimitIsRefused(string field, ulong low, ulong high, ulong alignment, ulong boundary,
            ulong maxSegmentSize, int maxSegments, ulong maxSize, string shown)
        {
            var m = new TestMachine();
            var parent = m.Tag("parent", Parent);
            var limits = Parent;
            limits.Low = Pick(low, limits.Low);
            limits.High = Pick(high, limits.High);
            limits.Alignment = Pick(alignment, limits.Alignment);
            limits.Boundary = Pick(boundary, limits.Boundary);
            limits.MaxSegmentSize = Pick(maxSegmentSize, limits.MaxSegmentSize);
            limits.MaxSegments = maxSegments == 0 ? limits.MaxSegments : maxSegments;
            limits.MaxSize = Pick(maxSize, limits.MaxSize);
            var tagsBefore = m.Layer.Tags.Count;

            var result = m.Layer.DeriveTag(parent, "wider", limits);
            Assert.That(result.Error, Is.EqualTo(DmaError.TagWidened));
            Assert.That(result.Value, Is.Null);
            Assert.That(result.Message, Does.Contain(field).And.Contain(shown));
            Assert.That(m.Layer.Tags.Count, Is.EqualTo(tagsBefore));
        }

        // In the cases above 0 keeps the parent's value and 1 stands for "no limit" (0).
        private static ulong Pick(ulong given, ulong parent)
        {
            return given == 0 ? parent : given == 1 ? 0 : given;
        }

        [Test]
        public void SubregionNarrowsOnlyTheWindow()
        {
            var m = new TestMachine();
            var parent = m.Tag("parent", Parent);
            var sub = m.Layer.Subregion(parent, "sub", 2 * MiB, 3 * MiB);
            Assert.That(sub.Succeeded, sub.ToString());
            Assert.That((sub.Value.Low, sub.Value.High), Is.EqualTo((2 * MiB, 3 * MiB)));
            Assert.That(sub.Value.Alignment, Is.EqualTo(parent.Alignment));
            Assert.That(sub.Value.MaxSegments, Is.EqualTo(parent.MaxSegments));
            var wider = m.Layer.Subregion(sub.Value, "wider", 2 * MiB, 4 * MiB);
            Assert.That(wider.Error, Is.EqualTo(DmaError.TagWidened));
            Assert.That(wider.Message, Does.Contain("0x400000").And.Contain("0x300000"));
        }

        [Test]
        public void NarrowedWindowMovesBouncedDataIntoIt()
        {
            var m = new TestMachine();
            var isa = m.IsaTag();
            var firstMiB = m.Layer.Subregion(isa, "first-mib", 0, 1 * MiB).Value;
            var map = m.Map(firstMiB, 8 * Page);
            // In isa memory the parent tag reaches, but above the first MiB.
            var buffer = m.Allocator.Allocate(8 * Page, Frames.AllocationConstraints.Window(2 * MiB, IsaEnd)).Segments[0].Address;
            var result = m.Layer.Load(map, buffer, 8 * Page);
            Assert.That(result.Succeeded, result.ToString());
            Assert.That(map.IsBounced, Is.True);
            SegmentOracle.AssertSatisfies(map, 8 * Page);
            Assert.That(map.Segments.All(s => s.End <= 1 * MiB), Is.True);
        }

        [TestCase(5UL, 4UL, 1UL, 0UL, 0UL, 1, "low 0x5 is not below high 0x4")]
        [TestCase(0UL, 4096UL, 3UL, 0UL, 0UL, 1, "alignment 0x3 is not a power of two")]
        [TestCase(0UL, 4096UL, 1UL, 0x3000UL, 0UL, 1, "boundary 0x3000 is not a power of two")]
        [TestCase(0UL, 4096UL, 64UL, 32UL, 0UL, 1, "boundary 0x20 is smaller than the alignment 0x40")]
        [TestCase(0UL, 4096UL, 64UL, 0UL, 100UL, 1, "max segment size 0x64 is not a multiple of the alignment 0x40")]
        [TestCase(0UL, 4096UL, 1UL, 0UL, 0UL, 0, "max segments 0 is below 1")]
        public void InconsistentLimitsAreRefused(ulong low, ulong high, ulong alignment, ulong boundary, ulong maxSegmentSize, int maxSegments, string message)
        {
            var m = new TestMachine();
            var result = m.Layer.CreateTag("bad", new DmaTagLimits
            {
                Low = low, High = high, Alignment = alignment, Boundary = boundary, MaxSegmentSize = maxSegmentSize, MaxSegments = maxSegments
            });
            Assert.That(result.Error, Is.EqualTo(DmaError.InvalidTag));
            Assert.That(result.Message, Does.Contain(message));
            Assert.That(m.Layer.Tags, Is.Empty);
        }

        [Test]
        public void MapLimitsMayOnlyTightenTheTag()
        {
            var m = new TestMachine();
            var tag = m.Tag("parent", Parent);
            var map = m.Layer.CreateMap(tag, 1 * MiB, 4, 4096, 64 * 1024);
            Assert.That(map.Succeeded, map.ToString());
            Assert.That((map.Value.MaxSegments, map.Value.MaxSegmentSize, map.Value.Boundary), Is.EqualTo((4, 4096UL, 64 * 1024UL)));
            var inherited = m.Layer.CreateMap(tag, 1 * MiB).Value;
            Assert.That((inherited.MaxSegments, inherited.MaxSegmentSize, inherited.Boundary), Is.EqualTo((32, 64 * 1024UL, 1 * MiB)));

            Assert.That(m.Layer.CreateMap(tag, 8 * MiB).Error, Is.EqualTo(DmaError.TagWidened));
            Assert.That(m.Layer.CreateMap(tag, 1 * MiB, 64).Error, Is.EqualTo(DmaError.TagWidened));
            Assert.That(m.Layer.CreateMap(tag, 1 * MiB, 0, 128 * 1024).Error, Is.EqualTo(DmaError.TagWidened));
            Assert.That(m.Layer.CreateMap(tag, 1 * MiB, 0, 0, 2 * MiB).Error, Is.EqualTo(DmaError.TagWidened));
            Assert.That(m.Layer.CreateMap(tag, 0).Error, Is.EqualTo(DmaError.InvalidMap));
            Assert.That(m.Layer.CreateMap(tag, 1 * MiB, 0, 0, 3 * 4096).Error, Is.EqualTo(DmaError.InvalidMap));
            Assert.That(m.Layer.CreateMap(null, 1 * MiB).Error, Is.EqualTo(DmaError.InvalidArgument));
        }

        [Test]
        public void ObjectsOfAnotherLayerAreRefused()
        {
            var a = new TestMachine();
            var b = new TestMachine();
            var foreignTag = a.IsaTag();
            var foreignMap = a.Map(foreignTag, Page);
            Assert.That(b.Layer.CreateMap(foreignTag, Page).Error, Is.EqualTo(DmaError.InvalidArgument));
            Assert.That(b.Layer.DeriveTag(foreignTag, "x", DmaTagLimits.Window(0, Page)).Error, Is.EqualTo(DmaError.InvalidArgument));
            Assert.That(b.Layer.Load(foreignMap, 0, Page).Error, Is.EqualTo(DmaError.InvalidArgument));
            Assert.That(b.Layer.Unload(foreignMap).Error, Is.EqualTo(DmaError.InvalidArgument));
            Assert.That(b.Layer.AllocateDmaMemory(foreignTag, Page).Error, Is.EqualTo(DmaError.InvalidArgument));
        }
    }
}
