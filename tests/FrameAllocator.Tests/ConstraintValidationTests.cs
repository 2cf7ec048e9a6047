using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // Every invalid request gets its own documented error, a message with the numbers involved,
    // and leaves the allocator exactly as it was. Invalid layouts are refused at construction.
    public class ConstraintValidationTests
    {
        [SetUp]
        public void BuildBusyAllocator()
        {
            // Small layout: low [0, 64) mid [96, 224) high [256, 512) in pages.
            allocator = new FrameAllocator(Layouts.Small());
            Assert.That(allocator.AllocatePages(5, AllocationConstraints.Window(0, 64 * Page)).Succeeded, Is.True);
            Assert.That(allocator.AllocatePages(7, AllocationConstraints.Scattered).Succeeded, Is.True);
            Assert.That(allocator.TryAllocatePage(PageKind.Program, out _), Is.EqualTo(AllocationError.None));
            Assert.That(allocator.TryAllocatePage(PageKind.Cache, out _, "mid"), Is.EqualTo(AllocationError.None));
            before = StateFingerprint.Capture(allocator);
        }

        [Test]
        public void ZeroSizeIsInvalidSize()
        {
            ExpectFailure(allocator.Allocate(0, AllocationConstraints.Scattered), AllocationError.InvalidSize, 0);
            ExpectFailure(allocator.AllocatePages(0, AllocationConstraints.Scattered), AllocationError.InvalidSize, 0);
            ExpectFailure(allocator.AllocatePages(-3, AllocationConstraints.Scattered), AllocationError.InvalidSize, -3);
        }

        [Test]
        public void BytesThatOverflowWhenRoundedToAPageAreRefused()
        {
            // Rounding ulong.MaxValue - 10 up to a whole page does not fit in 64 bits. AllocationError
            // calls that InvalidSize ("does not fit the address space"); docs/frame-allocator.md only
            // names size 0, so any refusal that changes nothing is accepted here.
            ExpectRefusal(allocator.Allocate(ulong.MaxValue - 10, AllocationConstraints.Scattered));
        }

        [Test]
        public void PagesBeyondTheAddressSpaceAreRefused()
        {
            ExpectRefusal(allocator.AllocatePages(long.MaxValue, AllocationConstraints.Scattered));
        }

        [Test]
        public void SubPageAlignmentMeansOnePage()
        {
            var c = AllocationConstraints.Contiguous;
            c.Alignment = 512;
            var result = allocator.AllocatePages(3, c);
            Assert.That(result.Succeeded, Is.True, result.ToString());
            Assert.That(result.Segments[0].Address % Page, Is.Zero);
        }

        [TestCase(3 * Page)]
        [TestCase(Page + 1)]
        [TestCase(48 * Page)]
        public void AlignmentNotAPowerOfTwoIsInvalidAlignment(ulong alignment)
        {
            var c = AllocationConstraints.Contiguous;
            c.Alignment = alignment;
            ExpectFailure(allocator.AllocatePages(1, c), AllocationError.InvalidAlignment, alignment);
        }

        [Test]
        public void BoundaryNotAPowerOfTwoIsInvalidBoundary()
        {
            var c = AllocationConstraints.Scattered;
            c.Boundary = 6 * Page;
            ExpectFailure(allocator.AllocatePages(1, c), AllocationError.InvalidBoundary, 6 * Page);
        }

        [Test]
        public void BoundarySmallerThanAContiguousRequestIsInvalidBoundary()
        {
            var c = AllocationConstraints.Contiguous;
            c.Boundary = 4 * Page;
            ExpectFailure(allocator.AllocatePages(8, c), AllocationError.InvalidBoundary, 4 * Page, 8 * Page);
        }

        [Test]
        public void BoundarySmallerThanTheAlignmentIsRefusedOrHonoured()
        {
            // AllocationError.InvalidBoundary says "or than the alignment"; docs/frame-allocator.md does
            // not. Either answer is fine as long as a success honours both constraints.
            var c = AllocationConstraints.Scattered;
            c.Alignment = 16 * Page;
            c.Boundary = 4 * Page;
            var result = allocator.AllocatePages(6, c);
            if(!result.Succeeded)
            {
                ExpectFailure(result, AllocationError.InvalidBoundary, 4 * Page, 16 * Page);
                return;
            }
            Assert.That(result.Segments[0].Address % (16 * Page), Is.Zero);
            foreach(var s in result.Segments)
            {
                Assert.That(s.Address / (4 * Page), Is.EqualTo((s.End - 1) / (4 * Page)), $"{s} crosses a 4-page boundary");
            }
        }

        [Test]
        public void BoundarySmallerThanAPageIsInvalidBoundary()
        {
            // Alignment 0 means one page, so any smaller boundary is smaller than the alignment.
            var c = AllocationConstraints.Scattered;
            c.Boundary = 2048;
            ExpectFailure(allocator.AllocatePages(1, c), AllocationError.InvalidBoundary, 2048);
        }

        [Test]
        public void EmptyOrInvertedWindowIsInvalidWindow()
        {
            ExpectFailure(allocator.AllocatePages(1, AllocationConstraints.Window(100 * Page, 100 * Page)), AllocationError.InvalidWindow, 100 * Page);
            ExpectFailure(allocator.AllocatePages(1, AllocationConstraints.Window(200 * Page, 100 * Page)), AllocationError.InvalidWindow, 200 * Page, 100 * Page);
        }

        [Test]
        public void WindowNarrowerThanTheRequestIsInvalidWindow()
        {
            ExpectFailure(allocator.AllocatePages(8, AllocationConstraints.Window(100 * Page, 104 * Page, int.MaxValue)),
                AllocationError.InvalidWindow, 100 * Page, 104 * Page);
        }

        [TestCase(0)]
        [TestCase(-1)]
        [TestCase(int.MinValue)]
        public void FewerThanOneSegmentIsInvalidSegmentLimits(int maxSegments)
        {
            var c = AllocationConstraints.Scattered;
            c.MaxSegments = maxSegments;
            ExpectFailure(allocator.AllocatePages(1, c), AllocationError.InvalidSegmentLimits, maxSegments);
        }

        [Test]
        public void EmptyDestinationIsInvalidSegmentLimits()
        {
            // The effective limit is min(MaxSegments, destination.Length).
            var error = allocator.TryAllocate(Page, AllocationConstraints.Scattered, Span<Segment>.Empty, out var count);
            Assert.That(error, Is.EqualTo(AllocationError.InvalidSegmentLimits));
            Assert.That(count, Is.Zero);
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
        }

        [TestCase(1000UL)]
        [TestCase(2048UL)]
        public void SegmentSizeBelowAPageIsInvalidSegmentLimits(ulong maxSegmentSize)
        {
            var c = AllocationConstraints.Scattered;
            c.MaxSegmentSize = maxSegmentSize;
            ExpectFailure(allocator.AllocatePages(4, c), AllocationError.InvalidSegmentLimits, maxSegmentSize);
        }

        [TestCase(6000UL)]
        [TestCase(Page + 512)]
        public void SegmentSizeNotAMultipleOfThePageIsRefusedOrHonoured(ulong maxSegmentSize)
        {
            // AllocationError.InvalidSegmentLimits says "not a multiple of the page size";
            // docs/frame-allocator.md only refuses sizes below a page. A success must honour the limit.
            var c = AllocationConstraints.Scattered;
            c.MaxSegmentSize = maxSegmentSize;
            var result = allocator.AllocatePages(4, c);
            if(!result.Succeeded)
            {
                ExpectFailure(result, AllocationError.InvalidSegmentLimits, maxSegmentSize);
                return;
            }
            Assert.That(result.Segments.All(s => s.Length <= maxSegmentSize), Is.True, result.ToString());
        }

        [Test]
        public void SegmentLimitsThatCanNeverHoldTheRequestAreRefused()
        {
            // 8 pages in at most 2 segments of 2 pages: documented as InvalidSegmentLimits in
            // docs/frame-allocator.md; the AllocationError comments would say Fragmented.
            var c = AllocationConstraints.Scattered;
            c.MaxSegments = 2;
            c.MaxSegmentSize = 2 * Page;
            var result = allocator.AllocatePages(8, c);
            Assert.That(result.Error, Is.EqualTo(AllocationError.InvalidSegmentLimits).Or.EqualTo(AllocationError.Fragmented), result.ToString());
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
        }

        [Test]
        public void WindowInAHoleIsNoRangeInWindow()
        {
            ExpectFailure(allocator.AllocatePages(1, AllocationConstraints.Window(64 * Page, 96 * Page)), AllocationError.NoRangeInWindow, 64 * Page, 96 * Page);
        }

        [Test]
        public void WindowAboveEveryRangeIsNoRangeInWindow()
        {
            ExpectFailure(allocator.AllocatePages(1, AllocationConstraints.Window(1024 * Page, 2048 * Page)), AllocationError.NoRangeInWindow, 1024 * Page, 2048 * Page);
        }

        [Test]
        public void UnknownPreferredRangeIsUnknownRange()
        {
            var c = AllocationConstraints.Scattered;
            c.PreferredRange = "nosuch";
            var result = allocator.AllocatePages(1, c);
            ExpectFailure(result, AllocationError.UnknownRange);
            Assert.That(result.Message, Does.Contain("nosuch"));

            Assert.That(allocator.TryAllocatePage(PageKind.Program, out _, "nosuch"), Is.EqualTo(AllocationError.UnknownRange));
            Assert.That(allocator.LastFailureMessage, Does.Contain("nosuch"));
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
        }

        [Test]
        public void TooLittleFreeMemoryIsInsufficientMemoryWithTheCounts()
        {
            // low has 64 pages, 5 wired: 59 free; ask for 60 in low's window.
            ExpectFailure(allocator.AllocatePages(60, AllocationConstraints.Window(0, 64 * Page, int.MaxValue)), AllocationError.InsufficientMemory, 60, 59);
        }

        [Test]
        public void FreeMemoryInPiecesIsFragmented()
        {
            // Wire every other page of low (after the 5 already wired) so no two free pages touch.
            var held = new List<Segment[]>();
            AllocationResult r;
            while((r = allocator.AllocatePages(1, AllocationConstraints.Window(0, 64 * Page))).Succeeded)
            {
                held.Add(r.Segments);
            }
            Assert.That(held, Has.Count.EqualTo(59));
            foreach(var segments in held)
            {
                if(segments[0].Address / Page % 2 == 0)
                {
                    Assert.That(allocator.Free(segments).Succeeded, Is.True);
                }
            }
            before = StateFingerprint.Capture(allocator);
            var freeInLow = allocator.GetStatistics("low").Free;
            Assert.That(freeInLow, Is.GreaterThanOrEqualTo(2));
            ExpectFailure(allocator.AllocatePages(2, AllocationConstraints.Window(0, 64 * Page, 1)), AllocationError.Fragmented, 2);
            ExpectFailure(allocator.AllocatePages(freeInLow, AllocationConstraints.Window(0, 64 * Page, (int)freeInLow - 1)), AllocationError.Fragmented, freeInLow);
        }

        [Test]
        public void FailuresAreCounted()
        {
            var failures = allocator.GetStatistics("low").Failures;
            allocator.AllocatePages(60, AllocationConstraints.Window(0, 64 * Page, int.MaxValue));
            Assert.That(allocator.GetStatistics("low").Failures, Is.EqualTo(failures + 1));
        }

        [Test]
        public void OverlappingRangesAreRefusedNamingBoth()
        {
            var ranges = new[]
            {
                new BusRange("first", 0, 64 * Page),
                new BusRange("other", 128 * Page, 16 * Page),
                new BusRange("second", 32 * Page, 64 * Page)
            };
            var e = Assert.Throws<ArgumentException>(() => new FrameAllocator(ranges));
            Assert.That(e.Message, Does.Contain("first").And.Contain("second").And.Not.Contain("other"));
        }

        [Test]
        public void RangeInsideAnotherIsRefusedNamingBoth()
        {
            var ranges = new[] { new BusRange("outer", 0, 64 * Page), new BusRange("inner", 8 * Page, 8 * Page) };
            var e = Assert.Throws<ArgumentException>(() => new FrameAllocator(ranges));
            Assert.That(e.Message, Does.Contain("outer").And.Contain("inner"));
        }

        [Test]
        public void AdjacentRangesAreAccepted()
        {
            var a = new FrameAllocator(new[] { new BusRange("a", 0, 16 * Page), new BusRange("b", 16 * Page, 16 * Page) });
            Assert.That(a.TotalPages, Is.EqualTo(32));
        }

        [TestCase(100UL, 16 * Page, Page, TestName = "BaseNotAMultipleOfThePage")]
        [TestCase(0UL, 16 * Page + 100, Page, TestName = "SizeNotAMultipleOfThePage")]
        [TestCase(0UL, 16 * Page, 3000UL, TestName = "PageSizeNotAPowerOfTwo")]
        [TestCase(0UL, 16 * Page, 256UL, TestName = "PageSizeBelow512")]
        public void MisalignedRangeIsRefusedNamingIt(ulong baseAddress, ulong size, ulong pageSize)
        {
            var ranges = new[] { new BusRange("good", 1024 * Page, 16 * Page), new BusRange("crooked", baseAddress, size, pageSize) };
            var e = Assert.Throws<ArgumentException>(() => new FrameAllocator(ranges));
            Assert.That(e.Message, Does.Contain("crooked").And.Not.Contain("good"));
        }

        private void ExpectRefusal(AllocationResult result)
        {
            Assert.That(result.Error, Is.AnyOf(AllocationError.InvalidSize, AllocationError.InvalidWindow, AllocationError.InsufficientMemory), result.ToString());
            Assert.That(result.Segments, Is.Empty);
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before), "a failed call changed the allocator");
        }

        private void ExpectFailure(AllocationResult result, AllocationError error, params object[] numbers)
        {
            Assert.That(result.Error, Is.EqualTo(error), result.ToString());
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Segments, Is.Empty);
            Assert.That(result.Message, Is.EqualTo(allocator.LastFailureMessage));
            foreach(var number in numbers)
            {
                var mentioned = number is long l ? NumberText.Mentions(result.Message, l)
                    : number is int i ? NumberText.Mentions(result.Message, (long)i)
                    : NumberText.Mentions(result.Message, Convert.ToUInt64(number));
                Assert.That(mentioned, Is.True, $"message \"{result.Message}\" does not mention {number} (0x{Convert.ToInt64(number):X})");
            }
            Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before), "a failed call changed the allocator");
        }

        private const ulong Page = Layouts.Page;
        private FrameAllocator allocator;
        private string before;
    }
}
