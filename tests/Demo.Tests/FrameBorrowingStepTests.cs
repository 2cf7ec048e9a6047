using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    public class FrameBorrowingStepTests
    {
        [OneTimeSetUp]
        public void RunStep()
        {
            result = new FrameBorrowingStep().Borrow(new DemoSettings(Seed: 7, Quick: true));
        }

        [Test]
        public void BehavesAsExpected()
        {
            Assert.That(result.Checks.Where(c => !c.Held).Select(c => $"{c.Expectation}: {c.Observed}"), Is.Empty);
            Assert.That(result.BehavedAsExpected, Is.True);
        }

        [Test]
        public void BorrowsTwoBlocksFromEachRangeInsideThatRange()
        {
            var ranges = DemoLayout.Sample();
            Assert.That(result.Blocks, Has.Count.EqualTo(2 * ranges.Length));
            foreach(var range in ranges)
            {
                var blocks = result.Blocks.Where(b => b.Range == range.Name).ToList();
                Assert.That(blocks, Has.Count.EqualTo(2), range.Name);
                foreach(var segment in blocks.SelectMany(b => b.Segments))
                {
                    Assert.That(segment.Address, Is.GreaterThanOrEqualTo(range.Base), $"{range.Name} {segment}");
                    Assert.That(segment.End, Is.LessThanOrEqualTo(range.End), $"{range.Name} {segment}");
                }
            }
        }

        [Test]
        public void ContiguousBlocksAreOneAlignedSegment()
        {
            foreach(var block in result.Blocks.Where(b => b.Request.MaxSegments == 1))
            {
                Assert.That(block.Segments, Has.Length.EqualTo(1), block.Range);
                Assert.That(block.Segments[0].Address % block.Request.Alignment, Is.Zero, block.Range);
                Assert.That(block.Segments[0].Length, Is.EqualTo(block.Request.Size), block.Range);
            }
        }

        [Test]
        public void ScatteredBlocksKeepTheSegmentSizeLimit()
        {
            foreach(var block in result.Blocks.Where(b => b.Request.MaxSegments > 1))
            {
                Assert.That(block.Bytes, Is.EqualTo(block.Request.Size), block.Range);
                Assert.That(block.Segments.Select(s => s.Length), Is.All.LessThanOrEqualTo(block.Request.MaxSegmentSize), block.Range);
            }
        }

        [Test]
        public void StatisticsShowTheFramesOutAndBackAgain()
        {
            for(var i = 0; i < result.Before.Count; i++)
            {
                var name = result.Before[i].Name;
                var pages = result.Blocks.Where(b => b.Range == name).Sum(b => (long)(b.Bytes / result.Before[i].PageSize));
                Assert.That(pages, Is.GreaterThan(0), name);
                Assert.That(result.Borrowed[i].Wired - result.Before[i].Wired, Is.EqualTo(pages), name);
                Assert.That(result.Before[i].Free - result.Borrowed[i].Free, Is.EqualTo(pages), name);
                Assert.That(result.After[i].Free, Is.EqualTo(result.Before[i].Free), name);
                Assert.That(result.After[i].Wired, Is.EqualTo(result.Before[i].Wired), name);
                Assert.That(result.Borrowed[i].Allocations - result.Before[i].Allocations, Is.EqualTo(2), name);
            }
        }

        [Test]
        public void RefusalsCarryTheDocumentedErrors()
        {
            Assert.That(result.OversizeError, Is.EqualTo(7), "INSUFFICIENT_MEMORY");
            Assert.That(result.SecondReturnError, Is.EqualTo(10), "NOT_ALLOCATED");
            Assert.That(result.Blocks.Select(b => b.ReturnError), Is.All.Zero);
        }

        [Test]
        public void TheSameSeedBorrowsTheSameFrames()
        {
            var again = new FrameBorrowingStep().Borrow(new DemoSettings(Seed: 7, Quick: true));
            Assert.That(again.Blocks.SelectMany(b => b.Segments), Is.EqualTo(result.Blocks.SelectMany(b => b.Segments)));
        }

        private FrameBorrowingResult result;
    }
}
