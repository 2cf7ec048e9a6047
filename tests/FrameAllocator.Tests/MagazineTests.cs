using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.Tests.Layouts;

namespace RenodeFrameAlloc.Tests
{
    // Single frames go through a per-list magazine: the frame returned last is handed out first,
    // and on fresh memory frames come lowest first. A caller relies on the magazine staying
    // invisible otherwise: a frame in it is free in every report, a second free of a returned frame
    // is refused, and every other request can use the frames it holds.
    public class MagazineTests
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
        public void FreshFramesComeLowestFirst()
        {
            var allocator = new FrameAllocator(Single(100));
            for(var i = 0UL; i < 100; i++)
            {
                Assert.That(allocator.TryAllocateFrame(0, ulong.MaxValue, out var frame), Is.EqualTo(AllocationError.None));
                Assert.That(frame, Is.EqualTo(new Segment(i * Page, Page)));
            }
            Assert.That(allocator.TryAllocateFrame(0, ulong.MaxValue, out _), Is.EqualTo(AllocationError.InsufficientMemory));
        }

        [Test]
        public void FramesInTheMagazineAreFreeInStatisticsAndPageState()
        {
            var allocator = new FrameAllocator(Single(64));
            var a = AllocateFrame(allocator);
            var b = AllocateFrame(allocator);
            Free(allocator, a);
            Assert.That(allocator.GetPageState(a), Is.EqualTo(PageState.Free));
            Assert.That(allocator.GetPageState(b + Page), Is.EqualTo(PageState.Free), "a frame the magazine took from the bitmap but never handed out");
            Assert.That(allocator.GetPageState(b), Is.EqualTo(PageState.Wired));
            var stats = allocator.GetStatistics("ram");
            Assert.That(stats.Free, Is.EqualTo(63));
            Assert.That(stats.Wired, Is.EqualTo(1));
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
        public void AFailedCallLeavesTheNextSingleFrameAsItWas()
        {
            // Frames 1 and 3 are the only free ones and sit in the magazine (3 on top). Requests that
            // must search the bitmap and fail, and refused frees, change nothing a caller can see:
            // the next single frames are still 3, then 1.
            var allocator = new FrameAllocator(Single(4));
            var frames = new[] { AllocateFrame(allocator), AllocateFrame(allocator), AllocateFrame(allocator), AllocateFrame(allocator) };
            Free(allocator, frames[1]);
            Free(allocator, frames[3]);
            var before = StateFingerprint.Capture(allocator);
            Assert.That(allocator.Allocate(2 * Page, AllocationConstraints.Contiguous).Error, Is.EqualTo(AllocationError.Fragmented));
            Assert.That(allocator.Allocate(3 * Page, AllocationConstraints.Scattered).Error, Is.EqualTo(AllocationError.InsufficientMemory));
            Assert.That(allocator.Allocate(Page, AllocationConstraints.Window(0, Page)).Error, Is.EqualTo(AllocationError.InsufficientMemory));
            Assert.That(allocator.TryAllocateFrame(2 * Page, 3 * Page, out _), Is.EqualTo(AllocationError.InsufficientMemory));
            Assert.That(allocator.FreeFrame(frames[3]), Is.EqualTo(AllocationError.NotAllocated));
            Assert.That(allocator.Free(new[] { new Segment(frames[0], 2 * Page) }).Error, Is.Not.EqualTo(AllocationError.None));
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(frames[3]));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(frames[1]));
        }

        [Test]
        public void APageTakesTheFrameOnTopOfTheMagazineAndLeavesTheRest()
        {
            var allocator = new FrameAllocator(Single(64));
            var frames = new List<ulong>();
            for(var i = 0; i < 40; i++)
            {
                frames.Add(AllocateFrame(allocator));
            }
            Free(allocator, frames[5]);
            Free(allocator, frames[35]);
            Assert.That(allocator.TryAllocatePage(PageKind.Program, out var page), Is.EqualTo(AllocationError.None));
            Assert.That(page, Is.EqualTo(frames[35]), "the frame returned last, not the lowest free one");
            Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Active));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(frames[5]), "the rest of the magazine is untouched");
        }

        [Test]
        public void ARequestTheBitmapCanServeLeavesTheMagazineAlone()
        {
            var allocator = new FrameAllocator(Single(128));
            var frames = new[] { AllocateFrame(allocator), AllocateFrame(allocator), AllocateFrame(allocator) };
            Free(allocator, frames[1]);
            var block = allocator.Allocate(4 * Page, AllocationConstraints.Contiguous);
            Assert.That(block.Error, Is.EqualTo(AllocationError.None), block.Message);
            Assert.That(allocator.Free(block.Segments).Error, Is.EqualTo(AllocationError.None));
            // The magazine still holds frame 1 on top, then 3, 4, ... as the first refill left them.
            Assert.That(AllocateFrame(allocator), Is.EqualTo(frames[1]));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(3 * Page));
            Assert.That(AllocateFrame(allocator), Is.EqualTo(4 * Page));
        }

        [Test]
        public void FramesInTheMagazineServeContiguousRequestsAndPages()
        {
            // All 48 frames taken one by one, then returned: more than a magazine holds, so some
            // go back to the bitmap and some stay in the magazine. A 48-frame contiguous request
            // and 48 pageable pages must all find them.
            var allocator = new FrameAllocator(Single(48));
            var frames = new List<ulong>();
            for(var i = 0; i < 48; i++)
            {
                frames.Add(AllocateFrame(allocator));
            }
            foreach(var frame in frames)
            {
                Free(allocator, frame);
            }
            var all = allocator.Allocate(48 * Page, AllocationConstraints.Contiguous);
            Assert.That(all.Error, Is.EqualTo(AllocationError.None), all.Message);
            Assert.That(all.Segments, Is.EqualTo(new[] { new Segment(0, 48 * Page) }));
            Assert.That(allocator.Free(all.Segments).Error, Is.EqualTo(AllocationError.None));

            Free(allocator, AllocateFrame(allocator));
            for(var i = 0; i < 48; i++)
            {
                Assert.That(allocator.TryAllocatePage(PageKind.Program, out _), Is.EqualTo(AllocationError.None));
            }
            Assert.That(allocator.ProgramPagesEvicted, Is.Zero, "a frame in a magazine was left unused while a page was evicted");
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
