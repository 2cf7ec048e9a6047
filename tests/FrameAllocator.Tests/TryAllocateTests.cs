using System;
using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // TryAllocate is the path for callers that must not allocate (a TLB-miss handler): segments go
    // into the caller's span, the span's length caps the segment count, and success allocates
    // nothing on the heap.
    public class TryAllocateTests
    {
        [Test]
        public void SegmentsGoIntoTheDestinationAndTheCountSaysHowMany()
        {
            var allocator = Fragmented(out var window);
            var destination = new Segment[8];
            var error = allocator.TryAllocate(3 * Page, window, destination, out var count);
            Assert.That(error, Is.EqualTo(AllocationError.None));
            Assert.That(count, Is.EqualTo(3), "every other page is free, so 3 pages take 3 segments");
            Assert.That(destination[3], Is.EqualTo(default(Segment)), "nothing written past the count");
            for(var i = 0; i < count; i++)
            {
                Assert.That(allocator.GetPageState(destination[i].Address), Is.EqualTo(PageState.Wired));
            }
            Assert.That(allocator.Free(destination.AsSpan(0, count)), Is.EqualTo(AllocationError.None));
        }

        [Test]
        public void DestinationLengthCapsTheSegmentCount()
        {
            var allocator = Fragmented(out var window);
            var before = StateFingerprint.Capture(allocator);
            var destination = new Segment[2];
            var error = allocator.TryAllocate(3 * Page, window, destination, out var count);
            Assert.That(error, Is.EqualTo(AllocationError.Fragmented));
            Assert.That(count, Is.Zero);
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
        }

        [TestCase(1)]
        public void SingleSegmentSuccessAllocatesNothingOnTheHeap(int maxSegments)
        {
            var allocator = Fragmented(out var window);
            window.MaxSegments = maxSegments;
            var destination = new Segment[4];
            // Warm up (JIT, first-use caches), then measure a fresh allocate/free pair.
            for(var i = 0; i < 3; i++)
            {
                Assert.That(allocator.TryAllocate(Page, window, destination, out var warm), Is.EqualTo(AllocationError.None));
                allocator.Free(destination.AsSpan(0, warm));
            }
            var size = maxSegments == 1 ? Page : 3 * Page;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = allocator.TryAllocate(size, window, destination, out var count);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(error, Is.EqualTo(AllocationError.None));
            Assert.That(count, Is.EqualTo(maxSegments == 1 ? 1 : 3));
            Assert.That(allocated, Is.Zero, $"TryAllocate of {count} segment(s) allocated {allocated} bytes");
        }

        // A 64-page list whose only free pages are every other one of the first 16 (window [0, 16)).
        private static FrameAllocator Fragmented(out AllocationConstraints window)
        {
            var allocator = new FrameAllocator(Layouts.Single(64));
            var held = new List<Segment[]>();
            for(var i = 0; i < 64; i++)
            {
                held.Add(allocator.AllocatePages(1, AllocationConstraints.Contiguous).Segments);
            }
            foreach(var segments in held)
            {
                if(segments[0].Address < 16 * Page && segments[0].Address / Page % 2 == 0)
                {
                    allocator.Free(segments);
                }
            }
            window = AllocationConstraints.Window(0, 16 * Page, 8);
            return allocator;
        }

        private const ulong Page = Layouts.Page;
    }
}
