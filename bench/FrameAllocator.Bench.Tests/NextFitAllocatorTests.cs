using System.Collections.Generic;
using CsCheck;
using NUnit.Framework;
using RenodeFrameAlloc.Bench.Baselines;

namespace RenodeFrameAlloc.Bench.Tests
{
    public class NextFitAllocatorTests
    {
        // Random allocate/free/take sequences: the next-fit scan succeeds exactly when the oracle
        // finds a run within one range, every run it returns meets its constraints and was free,
        // and its free count always matches.
        [Test]
        public void AgreesWithTheOracle()
        {
            AllocatorStep.Sequence.Sample(steps =>
            {
                var ranges = TestLayout.Ranges();
                var nextFit = new NextFitAllocator(ranges);
                var oracle = new FrameOracle(ranges, TestLayout.Frames);
                var held = new List<(ulong Address, long Pages)>();
                foreach(var step in steps)
                {
                    Apply(step, nextFit, oracle, held);
                    Assert.That(nextFit.FreeFrames, Is.EqualTo(oracle.FreeFrames));
                }
            });
        }

        [Test]
        public void FindsTheOnlyRunAnywhereFromTheHint()
        {
            var nextFit = new NextFitAllocator(TestLayout.Ranges());
            for(ulong frame = 0; frame < TestLayout.Frames; frame++)
            {
                nextFit.TryTakeFrame(frame * PageSize);
            }
            // Move the hint of "mid" to frame 41, then free a run before it and a single frame after it.
            Assert.That(nextFit.Free(40 * PageSize, 1), Is.True);
            Assert.That(nextFit.TryAllocateFrame(0, ulong.MaxValue, out var single), Is.True);
            Assert.That(single, Is.EqualTo(40 * PageSize));
            Assert.That(nextFit.Free(20 * PageSize, 4), Is.True);
            Assert.That(nextFit.Free(50 * PageSize, 1), Is.True);

            Assert.That(nextFit.TryAllocateContiguous(4, 0, ulong.MaxValue, 4 * PageSize, 0, out var run), Is.True);
            Assert.That(run, Is.EqualTo(20 * PageSize));
            Assert.That(nextFit.TryAllocateFrame(0, ulong.MaxValue, out single), Is.True);
            Assert.That(single, Is.EqualTo(50 * PageSize));
            Assert.That(nextFit.TryAllocateContiguous(1, 0, ulong.MaxValue, 0, 0, out _), Is.False);
        }

        [Test]
        public void RejectsABoundarySmallerThanTheRequest()
        {
            var nextFit = new NextFitAllocator(TestLayout.Ranges());
            Assert.That(nextFit.TryAllocateContiguous(4, 0, ulong.MaxValue, 0, 2 * PageSize, out _), Is.False);
            Assert.That(nextFit.FreeFrames, Is.EqualTo(240));
        }

        [Test]
        public void FreeOfFramesNotTakenChangesNothing()
        {
            var nextFit = new NextFitAllocator(TestLayout.Ranges());
            Assert.That(nextFit.TryAllocateContiguous(2, 0, ulong.MaxValue, 0, 0, out var run), Is.True);
            Assert.That(nextFit.Free(run, 3), Is.False);
            Assert.That(nextFit.Free(130 * PageSize, 1), Is.False, "a frame in the hole");
            Assert.That(nextFit.Free(run, 2), Is.True);
            Assert.That(nextFit.Free(run, 2), Is.False);
            Assert.That(nextFit.FreeFrames, Is.EqualTo(240));
        }

        private static void Apply(AllocatorStep step, NextFitAllocator nextFit, FrameOracle oracle, List<(ulong Address, long Pages)> held)
        {
            var (low, high) = Window(step.D);
            var lowFrame = (long)((low + PageSize - 1) / PageSize);
            var highFrame = (long)(high / PageSize);
            switch(step.Kind)
            {
                case 0:
                {
                    long pages = 1 + step.A % 24;
                    var alignment = PageSize << (step.B % 7);
                    var boundary = step.C % 3 == 0 ? 0 : PageSize << (step.C % 9);
                    var alignmentFrames = (long)(alignment / PageSize);
                    var boundaryFrames = (long)(boundary / PageSize);
                    var alignedLow = (lowFrame + alignmentFrames - 1) / alignmentFrames * alignmentFrames;
                    var expected = (boundaryFrames == 0 || boundaryFrames >= pages)
                        && oracle.HasRun(pages, alignedLow, highFrame, alignmentFrames, boundaryFrames);
                    var ok = nextFit.TryAllocateContiguous(pages, low, high, alignment, boundary, out var address);
                    Assert.That(ok, Is.EqualTo(expected), $"{pages} pages, align {alignment:X}, boundary {boundary:X}, window [{low:X}, {high:X})");
                    if(ok)
                    {
                        var first = (long)(address / PageSize);
                        Assert.That(oracle.IsValidRun(first, pages, alignedLow, highFrame, alignmentFrames, boundaryFrames), Is.True);
                        oracle.Take(first, pages);
                        held.Add((address, pages));
                    }
                    break;
                }
                case 1:
                {
                    var expected = oracle.HasRun(1, lowFrame, highFrame, 1, 0);
                    var ok = nextFit.TryAllocateFrame(low, high, out var address);
                    Assert.That(ok, Is.EqualTo(expected));
                    if(ok)
                    {
                        var frame = (long)(address / PageSize);
                        Assert.That(frame >= lowFrame && frame < highFrame, Is.True);
                        oracle.Take(frame, 1);
                        held.Add((address, 1));
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
                    Assert.That(nextFit.Free(address, pages), Is.True);
                    oracle.Release((long)(address / PageSize), pages);
                    Assert.That(nextFit.Free(address, pages), Is.False, "second free");
                    break;
                }
                default:
                    step.TakeFrame(nextFit.TryTakeFrame, oracle, held);
                    break;
            }
        }

        // A quarter of the steps use the whole address space, the rest a random window, often not
        // page aligned, sometimes reaching beyond memory.
        private static (ulong Low, ulong High) Window(int d)
        {
            if(d % 4 == 0)
            {
                return (0, ulong.MaxValue);
            }
            var low = (ulong)(d * 7 % 256) * PageSize + (d % 3 == 1 ? 100UL : 0);
            return (low, low + (ulong)(1 + d * 13 % 256) * PageSize);
        }

        private const ulong PageSize = TestLayout.PageSize;
    }
}
