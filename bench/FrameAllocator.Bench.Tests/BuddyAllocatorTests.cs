using System.Collections.Generic;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using RenodeFrameAlloc.Bench.Baselines;

namespace RenodeFrameAlloc.Bench.Tests
{
    public class BuddyAllocatorTests
    {
        // Random allocate/free/take sequences: the buddy allocator succeeds exactly when a free,
        // naturally aligned block of the request's order exists in one range of the window, what it
        // returns meets the constraints and was free, and its queues always hold exactly the free
        // frames, as maximal blocks (no two free buddies left unmerged).
        [Test]
        public void AgreesWithTheOracle()
        {
            AllocatorStep.Sequence.Sample(steps =>
            {
                var ranges = TestLayout.Ranges();
                var buddy = new BuddyAllocator(ranges);
                var oracle = new FrameOracle(ranges, TestLayout.Frames);
                var held = new List<(ulong Address, long Pages)>();
                foreach(var step in steps)
                {
                    Apply(step, buddy, oracle, held);
                    Assert.That(buddy.FreeFrames, Is.EqualTo(oracle.FreeFrames));
                    CheckQueues(buddy, oracle);
                }
            });
        }

        [Test]
        public void SplitsAndMergesBackToTheInitialBlocks()
        {
            var buddy = new BuddyAllocator(TestLayout.Ranges());
            var initial = buddy.FreeBlocks().OrderBy(b => b.Address).ToArray();
            // "top" [144, 256) frames: order 4 at 144, 5 at 160, 6 at 192; served first, lowest block.
            Assert.That(buddy.TryAllocatePages(0, out var frame), Is.True);
            Assert.That(frame, Is.EqualTo(144 * PageSize));
            Assert.That(buddy.FreeBlocksOfOrder(0), Is.EqualTo(1));
            buddy.FreePages(frame, 0);
            Assert.That(buddy.FreeBlocks().OrderBy(b => b.Address).ToArray(), Is.EqualTo(initial));
        }

        [Test]
        public void ContiguousRequestReturnsTheTailOfItsBlock()
        {
            var buddy = new BuddyAllocator(TestLayout.Ranges());
            // 3 frames in "low" (one order-4 block): an order-2 block, its last frame given back.
            Assert.That(buddy.TryAllocateContiguous(3, 0, 64 << 10, 0, 0, out var run), Is.True);
            Assert.That(run, Is.EqualTo(0UL));
            Assert.That(buddy.FreeFrames, Is.EqualTo(237));
            Assert.That(buddy.TryTakeFrame(3 * PageSize), Is.True);
            Assert.That(buddy.TryTakeFrame(3 * PageSize), Is.False);
            Assert.That(buddy.TryAllocateContiguous(8, 0, 64 << 10, 0, 0, out var eight), Is.True);
            Assert.That(eight, Is.EqualTo(8 * PageSize));
            Assert.That(buddy.TryAllocateContiguous(4, 0, 64 << 10, 0, 0, out var four), Is.True);
            Assert.That(four, Is.EqualTo(4 * PageSize));
            Assert.That(buddy.TryAllocateContiguous(1, 0, 64 << 10, 0, 0, out _), Is.False);
        }

        private static void Apply(AllocatorStep step, BuddyAllocator buddy, FrameOracle oracle, List<(ulong Address, long Pages)> held)
        {
            switch(step.Kind)
            {
                case 0:
                {
                    var order = step.A % 5;
                    long pages = order == 0 ? 1 : (1L << (order - 1)) + 1 + step.B % (1L << (order - 1));
                    var alignment = PageSize << (step.C % (order + 1));
                    var boundary = step.D % 2 == 0 ? 0 : PageSize << (order + step.D % 3);
                    var (lowFrame, highFrame) = Windows[step.D / 2 % Windows.Length];
                    var expected = oracle.HasRun(1L << order, lowFrame, highFrame, 1L << order, 0);
                    var ok = buddy.TryAllocateContiguous(pages, (ulong)lowFrame * PageSize, (ulong)highFrame * PageSize, alignment, boundary, out var address);
                    Assert.That(ok, Is.EqualTo(expected), $"{pages} pages, window [{lowFrame}, {highFrame})");
                    if(ok)
                    {
                        var first = (long)(address / PageSize);
                        Assert.That(oracle.IsValidRun(first, pages, lowFrame, highFrame, (long)(alignment / PageSize), (long)(boundary / PageSize)), Is.True);
                        oracle.Take(first, pages);
                        held.Add((address, pages));
                    }
                    break;
                }
                case 1:
                {
                    var order = step.A % 4;
                    var expected = oracle.HasRun(1L << order, 0, TestLayout.Frames, 1L << order, 0);
                    var ok = buddy.TryAllocatePages(order, out var address);
                    Assert.That(ok, Is.EqualTo(expected));
                    if(ok)
                    {
                        var first = (long)(address / PageSize);
                        Assert.That(oracle.IsValidRun(first, 1L << order, 0, TestLayout.Frames, 1L << order, 0), Is.True);
                        oracle.Take(first, 1L << order);
                        held.Add((address, 1L << order));
                    }
                    break;
                }
                case 2:
                {
                    if(held.Count == 0)
                    {
                        break;
                    }
                    var index = step.A % held.Count;
                    var (address, pages) = held[index];
                    held.RemoveAt(index);
                    buddy.FreeContiguous(address, pages);
                    oracle.Release((long)(address / PageSize), pages);
                    break;
                }
                default:
                    step.TakeFrame(buddy.TryTakeFrame, oracle, held);
                    break;
            }
        }

        private static void CheckQueues(BuddyAllocator buddy, FrameOracle oracle)
        {
            var covered = new bool[TestLayout.Frames];
            var heads = new HashSet<(long, int)>();
            foreach(var (address, order) in buddy.FreeBlocks())
            {
                var first = (long)(address / PageSize);
                Assert.That(first % (1L << order), Is.Zero, "block not naturally aligned");
                heads.Add((first, order));
                for(var f = first; f < first + (1L << order); f++)
                {
                    if(!oracle.IsFree(f) || covered[f] || oracle.RangeOf(f) != oracle.RangeOf(first))
                    {
                        Assert.Fail($"frame {f} of queued block {first}/{order} is not free, queued twice or in another range");
                    }
                    covered[f] = true;
                }
            }
            for(var f = 0; f < TestLayout.Frames; f++)
            {
                if(covered[f] != oracle.IsFree(f))
                {
                    Assert.Fail($"frame {f}: queued {covered[f]}, free {oracle.IsFree(f)}");
                }
            }
            foreach(var (first, order) in heads)
            {
                var buddyFirst = first ^ (1L << order);
                var sameRange = buddyFirst < TestLayout.Frames && oracle.RangeOf(buddyFirst) == oracle.RangeOf(first);
                if(order < BuddyAllocator.MaxOrder && sameRange && heads.Contains((buddyFirst, order)))
                {
                    Assert.Fail($"free buddies {first} and {buddyFirst} of order {order} not merged");
                }
            }
        }

        // Windows on range bounds, in frames: all, each range, two adjacent ranges, two across the hole.
        private static readonly (long Low, long High)[] Windows =
        {
            (0, TestLayout.Frames), (0, 16), (16, 128), (144, 256), (0, 128), (16, 256)
        };

        private const ulong PageSize = TestLayout.PageSize;
    }
}
