using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // Free takes back exactly what Allocate returned; anything else is an error that changes nothing.
    public class FreeErrorTests
    {
        [SetUp]
        public void AllocateSome()
        {
            allocator = new FrameAllocator(Layouts.Single(256));
            // Fragment the list so that a later request comes back in several segments.
            var singles = Enumerable.Range(0, 16).Select(_ => allocator.AllocatePages(1, AllocationConstraints.Contiguous).Segments).ToList();
            for(var i = 0; i < singles.Count; i += 2)
            {
                Assert.That(allocator.Free(singles[i]).Succeeded, Is.True);
            }
            var c = AllocationConstraints.Window(0, 16 * Layouts.Page, 8);
            multi = allocator.AllocatePages(6, c).Segments;
            Assert.That(multi, Has.Length.GreaterThan(1), "setup needs a multi-segment allocation");
            single = allocator.AllocatePages(4, AllocationConstraints.Contiguous).Segments;
            neighbour = allocator.AllocatePages(4, AllocationConstraints.Contiguous).Segments;
            Assert.That(single, Has.Length.EqualTo(1));
            before = StateFingerprint.Capture(allocator);
        }

        [Test]
        public void FreeingTwiceIsNotAllocated()
        {
            Assert.That(allocator.Free(single).Error, Is.EqualTo(AllocationError.None));
            var afterFirst = StateFingerprint.Capture(allocator);
            Assert.That(allocator.Free(single).Error, Is.EqualTo(AllocationError.NotAllocated));
            Assert.That(allocator.LastFailureMessage, Is.Not.Empty);
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(afterFirst));
        }

        [Test]
        public void FreeingFramesNeverHandedOutIsNotAllocated()
        {
            var free = FirstFreeAddress();
            ExpectUnchanged(new[] { new Segment(free, Layouts.Page) }, AllocationError.NotAllocated);
            ExpectUnchanged(new[] { new Segment(1UL << 40, Layouts.Page) }, AllocationError.NotAllocated);
        }

        [Test]
        public void FreeingAPageableFrameIsNotAllocated()
        {
            Assert.That(allocator.TryAllocatePage(PageKind.Program, out var page), Is.EqualTo(AllocationError.None));
            before = StateFingerprint.Capture(allocator);
            ExpectUnchanged(new[] { new Segment(page, Layouts.Page) }, AllocationError.NotAllocated);
        }

        [Test]
        public void FreeingSomeSegmentsOfAnAllocationIsPartialFree()
        {
            ExpectUnchanged(multi.Skip(1).ToArray(), AllocationError.PartialFree);
            ExpectUnchanged(multi.Take(1).ToArray(), AllocationError.PartialFree);
        }

        [Test]
        public void FreeingATruncatedSegmentIsPartialFree()
        {
            var s = single[0];
            ExpectUnchanged(new[] { new Segment(s.Address, s.Length - Layouts.Page) }, AllocationError.PartialFree);
            ExpectUnchanged(new[] { new Segment(s.Address + Layouts.Page, s.Length - Layouts.Page) }, AllocationError.PartialFree);
        }

        [Test]
        public void FreeingTwoAdjacentAllocationsAsOneSegmentFails()
        {
            Assert.That(neighbour[0].Address, Is.EqualTo(single[0].End), "setup: the two allocations touch");
            var merged = new[] { new Segment(single[0].Address, single[0].Length + neighbour[0].Length) };
            var error = allocator.Free(merged).Error;
            Assert.That(error, Is.EqualTo(AllocationError.PartialFree).Or.EqualTo(AllocationError.NotAllocated));
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
        }

        [Test]
        public void WholeAllocationsStillFreeAfterBadAttempts()
        {
            allocator.Free(multi.Skip(1).ToArray());
            allocator.Free(new[] { new Segment(single[0].Address, Layouts.Page) });
            Assert.That(allocator.Free(multi).Error, Is.EqualTo(AllocationError.None));
            Assert.That(allocator.Free(single).Error, Is.EqualTo(AllocationError.None));
            Assert.That(allocator.Free(neighbour).Error, Is.EqualTo(AllocationError.None));
            Assert.That(allocator.GetStatistics("ram").Free, Is.EqualTo(256 - 8));
        }

        private void ExpectUnchanged(Segment[] segments, AllocationError error)
        {
            var result = allocator.Free(segments);
            Assert.That(result.Error, Is.EqualTo(error), string.Join(" ", segments));
            Assert.That(result.Message, Is.Not.Empty);
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
        }

        private ulong FirstFreeAddress()
        {
            for(var address = 0UL; ; address += Layouts.Page)
            {
                if(allocator.GetPageState(address) == PageState.Free)
                {
                    return address;
                }
            }
        }

        private FrameAllocator allocator;
        private Segment[] multi;
        private Segment[] single;
        private Segment[] neighbour;
        private string before;
    }
}
