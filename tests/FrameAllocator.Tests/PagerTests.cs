using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // The pager: second chance on the active queue, reclaim of inactive pages only where a list
    // is under its free target, targets per list, every list scanned; and the buffer-cache cap
    // that keeps a streaming copy from evicting a program's working set.
    public class PagerTests
    {
        [Test]
        public void ReferencedActivePageSurvivesAPassAndAnUnreferencedOneGoesInactive()
        {
            var allocator = new FrameAllocator(Layouts.Single(64));
            allocator.SetPagerTargets("ram", 0, 64);
            var used = NewPage(allocator, PageKind.Program);
            var idle = NewPage(allocator, PageKind.Program);
            Assert.That(allocator.Reference(used), Is.True);

            var pass = allocator.RunPager();

            Assert.That(allocator.GetPageState(used), Is.EqualTo(PageState.Active));
            Assert.That(allocator.GetPageState(idle), Is.EqualTo(PageState.Inactive));
            Assert.That(pass.Deactivated, Is.EqualTo(1));
            Assert.That(pass.Reclaimed, Is.Zero);
            Assert.That(allocator.ProgramPagesEvicted, Is.Zero);
        }

        [Test]
        public void ReferenceMarkIsSpentByOnePass()
        {
            var allocator = new FrameAllocator(Layouts.Single(64));
            allocator.SetPagerTargets("ram", 0, 64);
            var page = NewPage(allocator, PageKind.Program);
            allocator.Reference(page);
            allocator.RunPager();
            Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Active));
            allocator.RunPager();
            Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Inactive));
        }

        [Test]
        public void InactivePageIsReclaimedOnlyWhenTheListIsUnderItsFreeTarget()
        {
            var allocator = new FrameAllocator(Layouts.Single(64));
            allocator.SetPagerTargets("ram", 0, 64);
            var used = NewPage(allocator, PageKind.Program);
            var idle = NewPage(allocator, PageKind.Program);
            allocator.Reference(used);
            allocator.RunPager();
            Assert.That(allocator.GetPageState(idle), Is.EqualTo(PageState.Inactive));

            // 62 frames free, target 0: nothing to reclaim, however often the pager runs.
            for(var i = 0; i < 3; i++)
            {
                allocator.Reference(used);
                Assert.That(allocator.RunPager().Reclaimed, Is.Zero);
            }
            Assert.That(allocator.GetPageState(idle), Is.EqualTo(PageState.Inactive));

            allocator.SetPagerTargets("ram", 63, 64);
            allocator.Reference(used);
            var pass = allocator.RunPager();

            Assert.That(pass.Reclaimed, Is.EqualTo(1));
            Assert.That(allocator.GetPageState(idle), Is.EqualTo(PageState.Free));
            Assert.That(allocator.GetPageState(used), Is.EqualTo(PageState.Active));
            Assert.That(allocator.ProgramPagesEvicted, Is.EqualTo(1));
            Assert.That(allocator.GetStatistics("ram").Reclaims, Is.EqualTo(1));
            Assert.That(allocator.Reference(idle), Is.False, "an evicted page is no page any more");
        }

        [Test]
        public void ReferencedInactivePageIsReactivatedNotReclaimed()
        {
            var allocator = new FrameAllocator(Layouts.Single(64));
            allocator.SetPagerTargets("ram", 0, 64);
            var page = NewPage(allocator, PageKind.Cache);
            allocator.RunPager();
            Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Inactive));

            Assert.That(allocator.Reference(page), Is.True);
            allocator.SetPagerTargets("ram", 64, 0);
            var pass = allocator.RunPager();

            Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Active));
            Assert.That(pass.Reactivated, Is.EqualTo(1));
            Assert.That(pass.Reclaimed, Is.Zero);
            Assert.That(allocator.CachePagesEvicted, Is.Zero);
        }

        [Test]
        public void FreeTargetsArePerList()
        {
            var allocator = new FrameAllocator(new[] { new BusRange("a", 0, 64 * Layouts.Page), new BusRange("b", 128 * Layouts.Page, 64 * Layouts.Page) });
            foreach(var name in new[] { "a", "b" })
            {
                allocator.SetPagerTargets(name, 0, 64);
                for(var i = 0; i < 32; i++)
                {
                    Assert.That(allocator.TryAllocatePage(PageKind.Program, out _, name), Is.EqualTo(AllocationError.None));
                }
            }
            allocator.RunPager();
            Assert.That(allocator.GetStatistics("a").Inactive, Is.EqualTo(32));
            Assert.That(allocator.GetStatistics("b").Inactive, Is.EqualTo(32));

            allocator.SetPagerTargets("a", 48, 64);
            var pass = allocator.RunPager();

            var a = allocator.GetStatistics("a");
            var b = allocator.GetStatistics("b");
            Assert.That(a.FreeTarget, Is.EqualTo(48));
            Assert.That(b.FreeTarget, Is.Zero);
            Assert.That(a.Free, Is.EqualTo(48), "a reclaims up to its free target");
            Assert.That(a.Inactive, Is.EqualTo(16));
            Assert.That(a.Reclaims, Is.EqualTo(16));
            Assert.That(b.Free, Is.EqualTo(32), "b has no free target and keeps its pages");
            Assert.That(b.Inactive, Is.EqualTo(32));
            Assert.That(b.Reclaims, Is.Zero);
            Assert.That(pass.Reclaimed, Is.EqualTo(16));
        }

        [Test]
        public void OnePassScansEveryList()
        {
            var allocator = new FrameAllocator(Layouts.Small());
            var pages = new List<ulong>();
            foreach(var range in allocator.Ranges)
            {
                allocator.SetPagerTargets(range.Name, 0, 1000);
                for(var i = 0; i < 5; i++)
                {
                    pages.Add(NewPage(allocator, i % 2 == 0 ? PageKind.Program : PageKind.Cache, range.Name));
                }
            }

            var pass = allocator.RunPager();

            Assert.That(pass.Deactivated, Is.EqualTo(15));
            Assert.That(pass.Scanned, Is.GreaterThanOrEqualTo(15));
            foreach(var page in pages)
            {
                Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Inactive), $"0x{page:X}");
            }
            Assert.That(allocator.GetStatistics().Select(s => s.Inactive), Is.EqualTo(new[] { 5L, 5L, 5L }));
        }

        [Test]
        public void PageOperationsApplyOnlyToPageablePages()
        {
            var allocator = new FrameAllocator(Layouts.Small());
            var wired = allocator.AllocatePages(1, AllocationConstraints.Contiguous).Segments[0].Address;
            var page = NewPage(allocator, PageKind.Program);
            var free = allocator.Ranges[0].Base;
            var hole = allocator.Ranges[0].End;
            foreach(var address in new[] { wired, free, hole })
            {
                var before = StateFingerprint.Capture(allocator);
                Assert.That(allocator.Reference(address), Is.False, $"0x{address:X}");
                Assert.That(allocator.ReleasePage(address), Is.EqualTo(AllocationError.NotAPage), $"0x{address:X}");
                Assert.That(StateFingerprint.Capture(allocator), Is.EqualTo(before));
            }
            Assert.That(allocator.GetPageState(hole), Is.EqualTo(PageState.Outside));
            Assert.That(allocator.ReleasePage(page), Is.EqualTo(AllocationError.None));
            Assert.That(allocator.GetPageState(page), Is.EqualTo(PageState.Free));
            Assert.That(allocator.ReleasePage(page), Is.EqualTo(AllocationError.NotAPage));
            Assert.That(allocator.ProgramPagesEvicted, Is.Zero, "a release is not an eviction");
        }

        [Test]
        public void CachePageAtTheCapReusesACachePageNotAProgramPage()
        {
            var allocator = new FrameAllocator(Layouts.Single(64), bufferCacheCapPercent: 25);
            Assert.That(allocator.BufferCacheCapPages, Is.EqualTo(16));
            allocator.SetPagerTargets("ram", 0, 64);
            var program = Enumerable.Range(0, 8).Select(_ => NewPage(allocator, PageKind.Program)).ToList();
            var cache = Enumerable.Range(0, 16).Select(_ => NewPage(allocator, PageKind.Cache)).ToList();
            allocator.RunPager();
            Assert.That(program.All(p => allocator.GetPageState(p) == PageState.Inactive), Is.True);

            var recycled = NewPage(allocator, PageKind.Cache);

            Assert.That(cache, Does.Contain(recycled), "at the cap a new cache page is one of the cache's own frames");
            Assert.That(allocator.CachePages, Is.EqualTo(16));
            Assert.That(allocator.CachePagesEvicted, Is.EqualTo(1));
            Assert.That(allocator.ProgramPagesEvicted, Is.Zero);
            Assert.That(program.All(p => allocator.GetPageState(p) == PageState.Inactive && allocator.GetPageKind(p) == PageKind.Program), Is.True);
            Assert.That(allocator.GetStatistics("ram").Free, Is.EqualTo(64 - 8 - 16), "free frames stay free for others");
        }

        // The case that motivated the project: a program keeps using its working set while a file
        // copy streams four times physical memory through the buffer cache.
        [TestCase(1, TestName = "CappedCacheStreamingACopyEvictsNoProgramPage(one list)")]
        [TestCase(2, TestName = "CappedCacheStreamingACopyEvictsNoProgramPage(two lists)")]
        public void CappedCacheStreamingACopyEvictsNoProgramPage(int lists)
        {
            var run = new CopyWhileWorking(lists, 50);
            run.Execute();

            Assert.That(run.Allocator.BufferCacheCapPages, Is.EqualTo(512));
            Assert.That(run.PeakCachePages, Is.LessThanOrEqualTo(512));
            // The copy filled the cache partition: to the cap on one list; on two, the pager keeps
            // the high list's free target by reclaiming cache pages there, so a little less.
            Assert.That(run.PeakCachePages, lists == 1 ? Is.EqualTo(512) : Is.GreaterThan(384), "the copy did fill the cache");
            Assert.That(run.Allocator.CachePagesEvicted, Is.GreaterThan(0), "the cache recycled its own pages");
            Assert.That(run.Allocator.ProgramPagesEvicted, Is.Zero, run.Allocator.FormatStatistics());
            Assert.That(run.Refaults, Is.Zero);
            foreach(var page in run.WorkingSet)
            {
                Assert.That(run.Allocator.Reference(page), Is.True, $"working-set page 0x{page:X} is still resident");
                Assert.That(run.Allocator.GetPageKind(page), Is.EqualTo(PageKind.Program));
            }
        }

        [TestCase(1, TestName = "UncappedCacheStreamingACopyEvictsProgramPages(one list)")]
        [TestCase(2, TestName = "UncappedCacheStreamingACopyEvictsProgramPages(two lists)")]
        public void UncappedCacheStreamingACopyEvictsProgramPages(int lists)
        {
            var run = new CopyWhileWorking(lists, FrameAllocator.NoCacheCap);
            run.Execute();

            Assert.That(run.PeakCachePages, Is.GreaterThan(512), "without a cap the cache takes more than half of memory");
            Assert.That(run.Allocator.ProgramPagesEvicted, Is.GreaterThan(0));
            Assert.That(run.Refaults, Is.GreaterThan(0));
        }

        private static ulong NewPage(FrameAllocator allocator, PageKind kind, string range = null)
        {
            Assert.That(allocator.TryAllocatePage(kind, out var address, range), Is.EqualTo(AllocationError.None));
            Assert.That(allocator.GetPageKind(address), Is.EqualTo(kind));
            return address;
        }

        private sealed class CopyWhileWorking
        {
            // 1024 frames: one list, or two lists of 512 with a hole between them.
            public CopyWhileWorking(int lists, int cachePercent)
            {
                var ranges = lists == 1 ? Layouts.Single(1024) : new List<BusRange>
                {
                    new BusRange("low", 0, 512 * Layouts.Page),
                    new BusRange("high", 1024 * Layouts.Page, 512 * Layouts.Page)
                };
                Allocator = new FrameAllocator(ranges, ListPolicy.LeastConstrainedFirst, cachePercent);
                WorkingSet = new List<ulong>();
            }

            public FrameAllocator Allocator { get; }
            public List<ulong> WorkingSet { get; }
            public long PeakCachePages { get; private set; }
            public int Refaults { get; private set; }

            public void Execute()
            {
                for(var i = 0; i < WorkingSetPages; i++)
                {
                    WorkingSet.Add(Allocate(PageKind.Program));
                }
                TouchWorkingSet();
                var streamed = 4 * Allocator.TotalPages;
                for(var i = 1; i <= streamed; i++)
                {
                    var page = Allocate(PageKind.Cache);
                    Assert.That(Allocator.Reference(page), Is.True);
                    PeakCachePages = System.Math.Max(PeakCachePages, Allocator.CachePages);
                    if(Allocator.BufferCacheCapPercent < FrameAllocator.NoCacheCap)
                    {
                        Assert.That(Allocator.CachePages, Is.LessThanOrEqualTo(Allocator.BufferCacheCapPages), $"after {i} cache pages");
                    }
                    if(i % PagerPeriod == 0)
                    {
                        Allocator.RunPager();
                    }
                    if(i % ReferencePeriod == 0)
                    {
                        TouchWorkingSet();
                    }
                }
                TouchWorkingSet();
            }

            // The program uses every page of its working set; a page that was evicted faults back in.
            private void TouchWorkingSet()
            {
                for(var i = 0; i < WorkingSet.Count; i++)
                {
                    if(!Allocator.Reference(WorkingSet[i]) || Allocator.GetPageKind(WorkingSet[i]) != PageKind.Program)
                    {
                        Refaults++;
                        WorkingSet[i] = Allocate(PageKind.Program);
                        Allocator.Reference(WorkingSet[i]);
                    }
                }
            }

            private ulong Allocate(PageKind kind)
            {
                var error = Allocator.TryAllocatePage(kind, out var address);
                Assert.That(error, Is.EqualTo(AllocationError.None), $"{kind} page: {Allocator.LastFailureMessage}");
                return address;
            }

            private const int WorkingSetPages = 200;
            private const int PagerPeriod = 16;
            private const int ReferencePeriod = 1500;
        }
    }
}
