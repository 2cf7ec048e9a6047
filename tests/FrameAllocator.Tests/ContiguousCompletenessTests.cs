using System;
using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // The contiguous search must be complete, not just sound: a single-segment request fails
    // only when no list has an aligned, boundary-respecting run of free frames in the window.
    // Checked against a brute-force search over a per-frame oracle on fragmented memory.
    public class ContiguousCompletenessTests
    {
        [Test]
        public void ContiguousRequestFailsOnlyWhenBruteForceFindsNoRun([Values(1, 2, 3)] int seed)
        {
            const ulong page = 4096;
            var ranges = new[]
            {
                new BusRange("low", 0, 700 * page),
                new BusRange("mid", 1024 * page, 1500 * page),
                new BusRange("top", 4096 * page, 333 * page)
            };
            var allocator = new FrameAllocator(ranges);
            var random = new Random(seed);
            var taken = new HashSet<ulong>();
            var live = new List<Segment[]>();
            int successes = 0, failures = 0;

            // Fragment memory with single frames and short runs.
            for(var i = 0; i < 900; i++)
            {
                var result = allocator.AllocatePages(random.Next(1, 4), AllocationConstraints.Contiguous);
                if(result.Succeeded)
                {
                    live.Add(result.Segments);
                    Mark(taken, result.Segments, true);
                }
            }

            for(var step = 0; step < 3000; step++)
            {
                if(random.Next(2) == 0 && live.Count > 0)
                {
                    var victim = random.Next(live.Count);
                    Assert.That(allocator.Free(live[victim]).Error, Is.EqualTo(AllocationError.None));
                    Mark(taken, live[victim], false);
                    live.RemoveAt(victim);
                    continue;
                }
                var pages = random.Next(1, 140);
                var c = AllocationConstraints.Contiguous;
                c.Alignment = page << random.Next(0, 8);
                c.Boundary = random.Next(2) == 0 ? 0 : page << random.Next(8, 10);
                if(c.Boundary != 0 && c.Boundary < (ulong)pages * page)
                {
                    c.Boundary = 0;
                }
                c.Low = (ulong)random.Next(0, 5000) * page;
                c.High = c.Low + (ulong)random.Next(pages, 3000) * page;

                var expected = BruteForceExists(ranges, taken, (ulong)pages * page, c);
                var got = allocator.AllocatePages(pages, c);
                Assert.That(got.Succeeded, Is.EqualTo(expected), $"step {step}: {pages} pages, {c}: {got}");
                if(got.Succeeded)
                {
                    successes++;
                    var s = got.Segments[0];
                    Assert.That(got.Segments.Length, Is.EqualTo(1));
                    Assert.That(s.Length, Is.EqualTo((ulong)pages * page));
                    Assert.That(s.Address % c.Alignment, Is.EqualTo(0UL));
                    Assert.That(s.Address >= c.Low && s.End <= c.High, Is.True);
                    if(c.Boundary != 0)
                    {
                        Assert.That(s.Address / c.Boundary, Is.EqualTo((s.End - 1) / c.Boundary));
                    }
                    for(var a = s.Address; a < s.End; a += page)
                    {
                        Assert.That(taken.Contains(a), Is.False, $"frame 0x{a:X} handed out twice");
                    }
                    live.Add(got.Segments);
                    Mark(taken, got.Segments, true);
                }
                else
                {
                    failures++;
                    Assert.That(got.Error, Is.AnyOf(AllocationError.InsufficientMemory, AllocationError.Fragmented, AllocationError.NoRangeInWindow));
                }
            }
            // Both outcomes must be exercised for the comparison to mean anything.
            Assert.That(successes, Is.GreaterThan(100));
            Assert.That(failures, Is.GreaterThan(100));
            TestContext.Out.WriteLine($"{successes} placed, {failures} refused");
        }

        private static bool BruteForceExists(BusRange[] ranges, HashSet<ulong> taken, ulong bytes, AllocationConstraints c)
        {
            foreach(var range in ranges)
            {
                var low = Math.Max(range.Base, c.Low);
                var high = Math.Min(range.End, c.High);
                for(var start = (low + c.Alignment - 1) / c.Alignment * c.Alignment; start + bytes <= high; start += c.Alignment)
                {
                    if(c.Boundary != 0 && start / c.Boundary != (start + bytes - 1) / c.Boundary)
                    {
                        continue;
                    }
                    var free = true;
                    for(var a = start; a < start + bytes && free; a += 4096)
                    {
                        free = !taken.Contains(a);
                    }
                    if(free)
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void Mark(HashSet<ulong> taken, Segment[] segments, bool value)
        {
            foreach(var s in segments)
            {
                for(var a = s.Address; a < s.End; a += 4096)
                {
                    if(value)
                    {
                        taken.Add(a);
                    }
                    else
                    {
                        taken.Remove(a);
                    }
                }
            }
        }
    }
}
