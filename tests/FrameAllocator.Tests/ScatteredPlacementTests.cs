using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // uvm_pglistalloc(9) aligns only the first segment of a scattered request. "Fragmented" promises
    // that no placement fits, so a request with a valid placement must succeed, however the free
    // pieces lie.
    public class ScatteredPlacementTests
    {
        [Test]
        public void OnlyTheFirstSegmentNeedsToBeAligned()
        {
            // Free pages 0, 2, 4 and 9..11 of a 16-page list. Four pages, first one 2-page aligned,
            // at most two segments: [0, 1) + [9, 12) is the only way.
            var allocator = WithFreePages(16, new[] { 0, 2, 4, 9, 10, 11 });
            var c = AllocationConstraints.Window(0, 16 * Page, 2);
            c.Alignment = 2 * Page;

            var result = allocator.AllocatePages(4, c);

            Assert.That(result.Error, Is.EqualTo(AllocationError.None), result.ToString());
            Assert.That(result.Segments, Is.EqualTo(new[] { new Segment(0, Page), new Segment(9 * Page, 3 * Page) }));
        }

        [Test]
        public void LaterSegmentsMayStartOffTheAlignmentUnderABoundary()
        {
            // Free pages 16, 18, 20 and 25..31 of a 32-page list; 8-page boundary, first segment
            // 16-page aligned, 7 pages in at most 2 segments: [16, 17) + [25, 31).
            var allocator = WithFreePages(32, new[] { 16, 18, 20, 25, 26, 27, 28, 29, 30, 31 });
            var c = AllocationConstraints.Window(0, 32 * Page, 2);
            c.Alignment = 16 * Page;
            c.Boundary = 8 * Page;

            var result = allocator.AllocatePages(7, c);

            Assert.That(result.Error, Is.EqualTo(AllocationError.None), result.ToString());
            Assert.That(result.Segments, Has.Length.EqualTo(2));
            Assert.That(result.Segments[0], Is.EqualTo(new Segment(16 * Page, Page)));
            Assert.That(result.Segments[1].Address, Is.GreaterThanOrEqualTo(25 * Page));
            Assert.That(result.Segments.Sum(s => (long)(s.Length / Page)), Is.EqualTo(7));
        }

        // A one-list allocator whose only free pages are the given ones.
        private static FrameAllocator WithFreePages(int pages, int[] free)
        {
            var allocator = new FrameAllocator(Layouts.Single((ulong)pages));
            var held = new Dictionary<ulong, Segment[]>();
            for(var i = 0; i < pages; i++)
            {
                var r = allocator.AllocatePages(1, AllocationConstraints.Contiguous);
                Assert.That(r.Succeeded, Is.True);
                held[r.Segments[0].Address] = r.Segments;
            }
            foreach(var page in free)
            {
                Assert.That(allocator.Free(held[(ulong)page * Page]).Succeeded, Is.True);
            }
            return allocator;
        }

        private const ulong Page = Layouts.Page;
    }
}
