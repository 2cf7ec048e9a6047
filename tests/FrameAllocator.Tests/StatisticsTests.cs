using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // Per-range statistics after a known sequence of operations, as objects and as the text table.
    public class StatisticsTests
    {
        [SetUp]
        public void RunKnownOperations()
        {
            // low [0, 64) mid [96, 224) high [256, 512), in pages.
            allocator = new FrameAllocator(Layouts.Small());
            Assert.That(allocator.AllocatePages(5, AllocationConstraints.Window(0, 64 * Page)).Succeeded, Is.True);
            var c = AllocationConstraints.Scattered;
            c.PreferredRange = "mid";
            Assert.That(allocator.AllocatePages(3, c).Succeeded, Is.True);
            Assert.That(allocator.AllocatePages(60, AllocationConstraints.Window(0, 64 * Page, int.MaxValue)).Error, Is.EqualTo(AllocationError.InsufficientMemory));
            Assert.That(allocator.TryAllocatePage(PageKind.Program, out _, "high"), Is.EqualTo(AllocationError.None));
            Assert.That(allocator.TryAllocatePage(PageKind.Program, out _, "high"), Is.EqualTo(AllocationError.None));
            Assert.That(allocator.TryAllocatePage(PageKind.Cache, out _, "high"), Is.EqualTo(AllocationError.None));
        }

        [Test]
        public void EachRangeReportsItsGeometryAndCounts()
        {
            var low = allocator.GetStatistics("low");
            Assert.That((low.Name, low.Base, low.Size, low.PageSize, low.Pages), Is.EqualTo(("low", 0UL, 64 * Page, Page, 64L)));
            Assert.That((low.Free, low.Wired, low.Active, low.Inactive, low.CachePages), Is.EqualTo((59L, 5L, 0L, 0L, 0L)));
            Assert.That((low.Allocations, low.Failures, low.Reclaims), Is.EqualTo((1L, 1L, 0L)));

            var mid = allocator.GetStatistics("mid");
            Assert.That((mid.Base, mid.Size, mid.Pages), Is.EqualTo((96 * Page, 128 * Page, 128L)));
            Assert.That((mid.Free, mid.Wired, mid.Active, mid.Inactive, mid.CachePages), Is.EqualTo((125L, 3L, 0L, 0L, 0L)));
            Assert.That((mid.Allocations, mid.Failures, mid.Reclaims), Is.EqualTo((1L, 0L, 0L)));

            // New pages are pageable; whether they start active or inactive is the allocator's choice.
            var high = allocator.GetStatistics("high");
            Assert.That((high.Base, high.Size, high.Pages), Is.EqualTo((256 * Page, 256 * Page, 256L)));
            Assert.That((high.Free, high.Wired, high.Active + high.Inactive, high.CachePages), Is.EqualTo((253L, 0L, 3L, 1L)));
            Assert.That((high.Failures, high.Reclaims), Is.EqualTo((0L, 0L)));
            Assert.That(allocator.CachePages, Is.EqualTo(1));
            Assert.That(allocator.TotalPages, Is.EqualTo(64 + 128 + 256));
        }

        [Test]
        public void ReclaimsAreCountedWhereTheyHappen()
        {
            allocator.SetPagerTargets("high", 256, 256);
            var pass = allocator.RunPager();

            var high = allocator.GetStatistics("high");
            Assert.That(pass.Reclaimed, Is.EqualTo(3));
            Assert.That((high.Free, high.Active, high.Inactive, high.CachePages, high.Reclaims), Is.EqualTo((256L, 0L, 0L, 0L, 3L)));
            Assert.That((high.FreeTarget, high.InactiveTarget), Is.EqualTo((256L, 256L)));
            Assert.That(allocator.ProgramPagesEvicted, Is.EqualTo(2));
            Assert.That(allocator.CachePagesEvicted, Is.EqualTo(1));
            Assert.That(allocator.GetStatistics("low").Reclaims + allocator.GetStatistics("mid").Reclaims, Is.Zero);
        }

        [Test]
        public void ListOfStatisticsMatchesTheNamedOnes()
        {
            var all = allocator.GetStatistics();
            Assert.That(all.Select(s => s.Name), Is.EquivalentTo(new[] { "low", "mid", "high" }));
            foreach(var s in all)
            {
                Assert.That(Describe(allocator.GetStatistics(s.Name)), Is.EqualTo(Describe(s)));
                Assert.That(s.Free + s.Wired + s.Active + s.Inactive, Is.EqualTo(s.Pages), s.Name);
            }
        }

        [Test]
        public void StatisticsAreAPointInTimeCopy()
        {
            var low = allocator.GetStatistics("low");
            var text = Describe(low);
            Assert.That(allocator.AllocatePages(1, AllocationConstraints.Window(0, 64 * Page)).Succeeded, Is.True);
            Assert.That(Describe(low), Is.EqualTo(text));
            Assert.That(allocator.GetStatistics("low").Free, Is.EqualTo(low.Free - 1));
        }

        [Test]
        public void UnknownRangeHasNoStatistics()
        {
            Assert.That(allocator.GetStatistics("nosuch"), Is.Null);
        }

        [Test]
        public void TableHasOneRowPerRangeWithItsNumbers()
        {
            var lines = allocator.FormatStatistics().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
            var header = lines.FindIndex(l => Columns(l).Any(t => t.Equals("FREE", StringComparison.OrdinalIgnoreCase)));
            Assert.That(header, Is.GreaterThanOrEqualTo(0), "no header row with a FREE column");
            var headerColumns = Columns(lines[header]);
            var rows = lines.Skip(header + 1).Where(l => allocator.Ranges.Any(r => Columns(l)[0] == r.Name)).ToList();
            Assert.That(rows.Select(l => Columns(l)[0]), Is.EqualTo(new[] { "low", "mid", "high" }), "one row per range, in address order");

            foreach(var row in rows)
            {
                var cells = Columns(row);
                Assert.That(cells, Has.Count.EqualTo(headerColumns.Count), row);
                var s = allocator.GetStatistics(cells[0]);
                var expected = new Dictionary<string, long>
                {
                    ["PAGES"] = s.Pages, ["FREE"] = s.Free, ["WIRED"] = s.Wired, ["ACTIVE"] = s.Active, ["INACTIVE"] = s.Inactive,
                    ["CACHE"] = s.CachePages, ["ALLOC"] = s.Allocations, ["FAIL"] = s.Failures, ["RECLAIM"] = s.Reclaims
                };
                foreach(var column in expected)
                {
                    var index = headerColumns.FindIndex(h => h.StartsWith(column.Key, StringComparison.OrdinalIgnoreCase));
                    Assert.That(index, Is.GreaterThanOrEqualTo(0), $"no {column.Key} column in \"{lines[header]}\"");
                    Assert.That(cells[index], Is.EqualTo(column.Value.ToString()), $"{column.Key} of {s.Name} in \"{row}\"");
                }
            }
        }

        private static List<string> Columns(string line)
        {
            return line.Split((char[])null, StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        private static string Describe(RangeStatistics s)
        {
            return $"{s.Name} {s.Base} {s.Size} {s.PageSize} {s.Pages} {s.Free} {s.Wired} {s.Active} {s.Inactive} {s.CachePages} "
                + $"{s.Allocations} {s.Failures} {s.Reclaims} {s.FreeTarget} {s.InactiveTarget}";
        }

        private const ulong Page = Layouts.Page;
        private FrameAllocator allocator;
    }
}
