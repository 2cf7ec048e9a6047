using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.Tests.Layouts;

namespace RenodeFrameAlloc.Tests
{
    // Single frames returned recently are handed out again first (most recent first), as Linux's
    // per-CPU page lists do. A caller relies on that staying invisible otherwise: such a frame is
    // free in every report, a second free of it is refused, and every other request can use it.
    public class HotFrameTests
    {
        [Test]
        public void TheFrameReturnedLastIsHandedOutFirst()
        {
            var allocator = new FrameAllocator(Single(64));
            var a = AllocateFrame(allocator);
            var b = AllocateFrame(allocator);
            var c = AllocateFrame(allocator);
            Free(allocator, a);
            Free(allocator, c);
            Assert.That(AllocateFrame(allocator), Is.EqualTo(c));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(a));
            Assert.That(allocator.GetPageState(b), Is.EqualTo(PageState.Wired));
        }

        [Test]
        public void AReturnedFrameIsFreeInStatisticsAndPageState()
        {
            var allocator = new FrameAllocator(Single(64));
            var a = AllocateFrame(allocator);
            Free(allocator, a);
            Assert.That(allocator.GetPageState(a), Is.EqualTo(PageState.Free));
            var stats = allocator.GetStatistics("ram");
            Assert.That(stats.Free, Is.EqualTo(64));
            Assert.That(stats.Wired, Is.Zero);
        }

        [Test]
        public void ASecondFreeOfAReturnedFrameIsRefusedAndChangesNothing()
        {
            var allocator = new FrameAllocator(Single(64));
            var a = AllocateFrame(allocator);
            var kept = AllocateFrame(allocator);
            Free(allocator, a);
            var before = StateFingerprint.Capture(allocator);
            Assert.That(allocator.Free(new[] { new Segment(a, Page) }).Error, Is.EqualTo(AllocationError.NotAllocated));
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
            Assert.That(allocator.GetPageState(kept), Is.EqualTo(PageState.Wired));
        }

        [Test]
        public void ReturnedFramesServeContiguousRequestsAndPages()
        {
            // All 16 frames taken one by one, then returned: more than the hot frames hold, so
            // some go to the bitmap and some stay hot. A 16-frame contiguous request and a
            // pageable page must both find them.
            var allocator = new FrameAllocator(Single(16));
            var frames = new List<ulong>();
            for(var i = 0; i < 16; i++)
            {
                frames.Add(AllocateFrame(allocator));
            }
            foreach(var frame in frames)
            {
                Free(allocator, frame);
            }
            var all = allocator.Allocate(16 * Page, AllocationConstraints.Contiguous);
            Assert.That(all.Error, Is.EqualTo(AllocationError.None), all.Message);
            Assert.That(all.Segments, Is.EqualTo(new[] { new Segment(0, 16 * Page) }));
            Assert.That(allocator.Free(all.Segments).Error, Is.EqualTo(AllocationError.None));

            Free(allocator, AllocateFrame(allocator));
            for(var i = 0; i < 16; i++)
            {
                Assert.That(allocator.TryAllocatePage(PageKind.Program, out _), Is.EqualTo(AllocationError.None));
            }
            Assert.That(allocator.ProgramPagesEvicted, Is.Zero, "a returned frame was left unused while a page was evicted");
        }

        [Test]
        public void AWindowedRequestGetsAReturnedFrameInsideItsWindowOnly()
        {
            var allocator = new FrameAllocator(Single(4));
            var frames = new[] { AllocateFrame(allocator), AllocateFrame(allocator), AllocateFrame(allocator), AllocateFrame(allocator) };
            Free(allocator, frames[3]);
            Free(allocator, frames[1]);
            var window = AllocationConstraints.Window(3 * Page, 4 * Page);
            var result = allocator.Allocate(Page, window);
            Assert.That(result.Error, Is.EqualTo(AllocationError.None), result.Message);
            Assert.That(result.Segments[0].Address, Is.EqualTo(frames[3]), "the only free frame in the window, returned before the last one");
            var none = allocator.Allocate(Page, window);
            Assert.That(none.Error, Is.EqualTo(AllocationError.InsufficientMemory));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(frames[1]));
        }

        private static ulong AllocateFrame(FrameAllocator allocator)
        {
            var result = allocator.Allocate(Page, AllocationConstraints.Contiguous);
            Assert.That(result.Error, Is.EqualTo(AllocationError.None), result.Message);
            Assert.That(result.Segments, Has.Length.EqualTo(1));
            Assert.That(result.Segments[0].Length, Is.EqualTo(Page));
            return result.Segments[0].Address;
        }

        private static void Free(FrameAllocator allocator, ulong frame)
        {
            var result = allocator.Free(new[] { new Segment(frame, Page) });
            Assert.That(result.Error, Is.EqualTo(AllocationError.None), result.Message);
        }
    }
}
