using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // Which list serves a request whose window covers several ranges, on the example layout
    // isa [0, 16 MiB), dma32 [16 MiB, 4 GiB), high [4 GiB, 8 GiB).
    public class ListPolicyTests
    {
        [Test]
        public void LeastConstrainedFirstIsTheDefault()
        {
            Assert.That(new FrameAllocator(Layouts.Example()).Policy, Is.EqualTo(ListPolicy.LeastConstrainedFirst));
        }

        [Test]
        public void LeastConstrainedFirstServesFromTheHighestRange()
        {
            var allocator = new FrameAllocator(Layouts.Example());
            Assert.That(RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Scattered)), Is.EqualTo("high"));
            Assert.That(allocator.TryAllocatePage(PageKind.Program, out var page), Is.EqualTo(AllocationError.None));
            Assert.That(RangeOf(allocator, page), Is.EqualTo("high"));
            // Within a 32-bit window the highest eligible list is dma32, not isa.
            Assert.That(RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Window(0, 4 * Layouts.GiB))), Is.EqualTo("dma32"));
        }

        [Test]
        public void LeastConstrainedFirstFallsBackToLowerRangesInOrder()
        {
            var allocator = new FrameAllocator(Layouts.Example());
            TakeAll(allocator, "high");
            Assert.That(RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Scattered)), Is.EqualTo("dma32"));
            TakeAll(allocator, "dma32");
            Assert.That(RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Scattered)), Is.EqualTo("isa"));
            TakeAll(allocator, "isa");
            Assert.That(allocator.AllocatePages(1, AllocationConstraints.Scattered).Error, Is.EqualTo(AllocationError.InsufficientMemory));
        }

        [Test]
        public void LeastConstrainedFirstSparesTheIsaRangeUnderAnUnconstrainedLoad()
        {
            // The reason for the default: a big workload that could run anywhere leaves the 24-bit
            // range to the engines that can reach nothing else.
            var allocator = new FrameAllocator(Layouts.Example());
            var load = allocator.GetStatistics().Sum(s => s.Pages) - allocator.GetStatistics("isa").Pages;
            for(var taken = 0L; taken < load; taken += 65536)
            {
                Assert.That(allocator.AllocatePages(System.Math.Min(65536, load - taken), AllocationConstraints.Scattered).Succeeded, Is.True);
            }
            Assert.That(allocator.GetStatistics("isa").Free, Is.EqualTo(allocator.GetStatistics("isa").Pages));
            Assert.That(RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Window(0, 16 * Layouts.MiB))), Is.EqualTo("isa"));
        }

        [Test]
        public void RoundRobinRotatesAcrossAllEligibleLists()
        {
            var allocator = new FrameAllocator(Layouts.Example(), ListPolicy.RoundRobin);
            var served = Enumerable.Range(0, 9).Select(_ => RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Scattered))).ToList();
            for(var i = 1; i < served.Count; i++)
            {
                Assert.That(served[i], Is.Not.EqualTo(served[i - 1]), string.Join(", ", served));
            }
            Assert.That(served.GroupBy(name => name).Select(g => g.Count()), Is.EqualTo(new[] { 3, 3, 3 }), string.Join(", ", served));
        }

        [Test]
        public void RoundRobinRotatesAcrossTheListsTheWindowCovers()
        {
            // "takes frames round-robin across the eligible free lists": with a 32-bit window
            // only isa and dma32 are eligible, and they should take turns.
            var allocator = new FrameAllocator(Layouts.Example(), ListPolicy.RoundRobin);
            var served = Enumerable.Range(0, 8).Select(_ => RangeOf(allocator, AllocateOne(allocator, AllocationConstraints.Window(0, 4 * Layouts.GiB)))).ToList();
            Assert.That(served.Count(name => name == "isa"), Is.EqualTo(4), string.Join(", ", served));
            Assert.That(served.Count(name => name == "dma32"), Is.EqualTo(4), string.Join(", ", served));
        }

        [Test]
        public void RoundRobinRotatesPageAllocationsToo()
        {
            var allocator = new FrameAllocator(Layouts.Example(), ListPolicy.RoundRobin);
            var served = new List<string>();
            for(var i = 0; i < 6; i++)
            {
                Assert.That(allocator.TryAllocatePage(PageKind.Program, out var page), Is.EqualTo(AllocationError.None));
                served.Add(RangeOf(allocator, page));
            }
            Assert.That(served.Distinct().Count(), Is.EqualTo(3), string.Join(", ", served));
            Assert.That(served.GroupBy(name => name).Select(g => g.Count()), Is.EqualTo(new[] { 2, 2, 2 }), string.Join(", ", served));
        }

        [Test]
        public void RoundRobinFallsBackWhenItsTurnIsExhausted()
        {
            var allocator = new FrameAllocator(Layouts.Example(), ListPolicy.RoundRobin);
            TakeAll(allocator, "isa");
            for(var i = 0; i < 6; i++)
            {
                var result = allocator.AllocatePages(1, AllocationConstraints.Scattered);
                Assert.That(result.Succeeded, Is.True, result.ToString());
                Assert.That(RangeOf(allocator, result.Segments[0].Address), Is.Not.EqualTo("isa"));
            }
        }

        [TestCase(ListPolicy.LeastConstrainedFirst)]
        [TestCase(ListPolicy.RoundRobin)]
        public void PreferredRangeIsTriedFirst(ListPolicy policy)
        {
            var allocator = new FrameAllocator(Layouts.Example(), policy);
            foreach(var name in new[] { "isa", "dma32", "high", "isa" })
            {
                var c = AllocationConstraints.Scattered;
                c.PreferredRange = name;
                Assert.That(RangeOf(allocator, AllocateOne(allocator, c)), Is.EqualTo(name));
                Assert.That(allocator.TryAllocatePage(PageKind.Cache, out var page, name), Is.EqualTo(AllocationError.None));
                Assert.That(RangeOf(allocator, page), Is.EqualTo(name));
            }
        }

        [Test]
        public void ExhaustedPreferredRangeFallsBackInPolicyOrder()
        {
            var allocator = new FrameAllocator(Layouts.Example());
            TakeAll(allocator, "isa");
            var c = AllocationConstraints.Scattered;
            c.PreferredRange = "isa";
            Assert.That(RangeOf(allocator, AllocateOne(allocator, c)), Is.EqualTo("high"));
            // Preferring a list the window excludes is no error: the window wins.
            c = AllocationConstraints.Window(4 * Layouts.GiB, 8 * Layouts.GiB);
            c.PreferredRange = "dma32";
            Assert.That(RangeOf(allocator, AllocateOne(allocator, c)), Is.EqualTo("high"));
        }

        private static ulong AllocateOne(FrameAllocator allocator, AllocationConstraints c)
        {
            var result = allocator.AllocatePages(1, c);
            Assert.That(result.Succeeded, Is.True, result.ToString());
            Assert.That(result.Segments, Has.Length.EqualTo(1));
            return result.Segments[0].Address;
        }

        private static void TakeAll(FrameAllocator allocator, string name)
        {
            var range = allocator.Ranges.Single(r => r.Name == name);
            var free = allocator.GetStatistics(name).Free;
            var result = allocator.AllocatePages(free, AllocationConstraints.Window(range.Base, range.End, int.MaxValue));
            Assert.That(result.Succeeded, Is.True, result.ToString());
            Assert.That(allocator.GetStatistics(name).Free, Is.Zero);
        }

        private static string RangeOf(FrameAllocator allocator, ulong address)
        {
            return allocator.Ranges.Single(r => r.Contains(address)).Name;
        }
    }
}
