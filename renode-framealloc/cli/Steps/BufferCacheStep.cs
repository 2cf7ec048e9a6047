using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 2, the case the buffer-cache cap exists for: a program keeps using its working set
    // while a file copy streams four times physical memory through the buffer cache, page by
    // page. The program touches its pages at a steady rate, slower than the copy cycles memory,
    // as a process does while a big copy runs beside it; a touched page that is gone is a fault
    // and is paged back in. The pager is woken as a page daemon is: when free memory falls below
    // the sum of the lists' free targets (checked 64 times per memory's worth of copying). Played
    // twice on the same board and seed: with the allocator's cap (default 50%) no program page may
    // be evicted and the cache may never exceed the cap; without it, the cache takes memory from
    // the program.
    public sealed class BufferCacheStep : IDemoStep
    {
        // reuseIntervalShare: streamed pages between two touches of the same program page, as a
        // share of physical memory; workingSetPercent: the program's pages as a share of memory.
        public BufferCacheStep(double reuseIntervalShare = DefaultReuseIntervalShare, int workingSetPercent = DefaultWorkingSetPercent)
        {
            this.reuseIntervalShare = reuseIntervalShare;
            this.workingSetPercent = workingSetPercent;
        }

        public string Title => "Buffer cache: a program's working set while a copy streams 4x memory";

        public StepResult Run(DemoSettings settings, Action<double> progress = null)
        {
            return Compare(settings, progress);
        }

        public BufferCacheResult Compare(DemoSettings settings, Action<double> progress = null)
        {
            var layout = settings.Quick ? DemoLayout.Small() : DemoLayout.Sample();
            var capped = Play(layout, 50, "cap 50%", settings.Seed, f => progress?.Invoke(f / 2));
            var uncapped = Play(layout, FrameAllocator.NoCacheCap, "no cap", settings.Seed, f => progress?.Invoke(0.5 + f / 2));
            progress?.Invoke(1);

            var checks = new List<StepCheck>
            {
                new StepCheck("with the cap, the copy streams at least 4x physical memory", capped.StreamedPages >= 4 * capped.TotalPages,
                    $"{capped.StreamedPages} pages streamed, {capped.TotalPages} in memory"),
                new StepCheck("with the cap, no program page is evicted", capped.ProgramPagesEvicted == 0 && capped.ProgramFaults == 0,
                    $"{capped.ProgramPagesEvicted} evicted, {capped.ProgramFaults} faults"),
                new StepCheck("with the cap, the cache never holds more than the cap", capped.PeakCachePages <= capped.CapPages,
                    $"peak {capped.PeakCachePages} of {capped.CapPages} pages"),
                new StepCheck("with the cap, the cache recycles its own pages", capped.CachePagesEvicted > 0,
                    $"{capped.CachePagesEvicted} cache pages evicted"),
                new StepCheck("without the cap, program pages are evicted and fault back in", uncapped.ProgramPagesEvicted > 0 && uncapped.ProgramFaults > 0,
                    $"{uncapped.ProgramPagesEvicted} evicted, {uncapped.ProgramFaults} faults"),
                new StepCheck("without the cap, the cache grows past what the cap would allow", uncapped.PeakCachePages > capped.CapPages,
                    $"peak {uncapped.PeakCachePages} pages, cap would be {capped.CapPages}"),
                new StepCheck("every program fault is an eviction the allocator counted", uncapped.ProgramFaults <= uncapped.ProgramPagesEvicted
                    && capped.ProgramFaults <= capped.ProgramPagesEvicted, $"{uncapped.ProgramFaults} faults <= {uncapped.ProgramPagesEvicted} evictions")
            };
            return new BufferCacheResult
            {
                Title = Title,
                Summary = $"program pages evicted: {capped.ProgramPagesEvicted} with the cap, {uncapped.ProgramPagesEvicted} without; "
                    + $"peak cache {Percent(capped.PeakCachePages, capped.TotalPages)} vs {Percent(uncapped.PeakCachePages, uncapped.TotalPages)} of memory",
                Checks = checks,
                Capped = capped,
                Uncapped = uncapped
            };
        }

        private BufferCacheRun Play(IReadOnlyList<BusRange> layout, int capPercent, string label, int seed, Action<double> progress)
        {
            var board = new EmbeddedBoard(layout, capPercent);
            var allocator = board.Allocator;
            var random = new Random(seed);
            var total = allocator.TotalPages;
            var workingSet = new ulong[total * workingSetPercent / 100];
            var owner = new Dictionary<ulong, int>(workingSet.Length);
            var faults = 0L;
            for(var i = 0; i < workingSet.Length; i++)
            {
                PageIn(allocator, workingSet, owner, i);
            }
            // The program walks its pages in a fixed random order, like a process whose accesses
            // are spread over its whole working set.
            var order = Enumerable.Range(0, workingSet.Length).OrderBy(_ => random.Next()).ToArray();
            var touchesPerStreamedPage = workingSet.Length / Math.Max(1.0, total * reuseIntervalShare);
            var streamTotal = 4 * total;
            var pagerInterval = Math.Max(1, total / PagerChecksPerMemory);
            var sampleInterval = Math.Max(1, streamTotal / Samples);
            var progressInterval = Math.Max(1, streamTotal / 100);
            var samples = new List<OccupancySample> { Sample(allocator, 0) };
            long peakCache = 0, pagerPasses = 0, pagerReclaimed = 0, cursor = 0;
            var credit = 0.0;
            for(var streamed = 1L; streamed <= streamTotal; streamed++)
            {
                if(allocator.TryAllocatePage(PageKind.Cache, out var cachePage) != AllocationError.None)
                {
                    throw new InvalidOperationException($"{label}: the copy could not get a cache page after {streamed - 1} pages: {allocator.LastFailureMessage}");
                }
                peakCache = Math.Max(peakCache, allocator.CachePages);
                credit += touchesPerStreamedPage;
                while(credit >= 1)
                {
                    credit -= 1;
                    var slot = order[cursor++ % order.Length];
                    if(IsResident(allocator, workingSet, owner, slot))
                    {
                        allocator.Reference(workingSet[slot]);
                    }
                    else
                    {
                        faults++;
                        PageIn(allocator, workingSet, owner, slot);
                    }
                }
                if(streamed % pagerInterval == 0 && IsShort(allocator))
                {
                    pagerReclaimed += allocator.RunPager().Reclaimed;
                    pagerPasses++;
                }
                if(streamed % sampleInterval == 0)
                {
                    samples.Add(Sample(allocator, streamed));
                }
                if(streamed % progressInterval == 0)
                {
                    progress?.Invoke((double)streamed / streamTotal);
                }
            }
            return new BufferCacheRun
            {
                Label = label,
                CapPercent = capPercent,
                CapPages = allocator.BufferCacheCapPages,
                TotalPages = total,
                WorkingSetPages = workingSet.Length,
                StreamedPages = streamTotal,
                ProgramPagesEvicted = allocator.ProgramPagesEvicted,
                ProgramFaults = faults,
                CachePagesEvicted = allocator.CachePagesEvicted,
                PeakCachePages = peakCache,
                CachePagesAtEnd = allocator.CachePages,
                PagerPasses = pagerPasses,
                PagerReclaimed = pagerReclaimed,
                Samples = samples
            };
        }

        // A frame the allocator evicted may since have become a cache page or another of the
        // program's pages, so residency is: still a program page, and still this slot's.
        private static bool IsResident(FrameAllocator allocator, ulong[] workingSet, Dictionary<ulong, int> owner, int slot)
        {
            var address = workingSet[slot];
            var state = allocator.GetPageState(address);
            return (state == PageState.Active || state == PageState.Inactive)
                && allocator.GetPageKind(address) == PageKind.Program
                && owner.TryGetValue(address, out var holder) && holder == slot;
        }

        private static void PageIn(FrameAllocator allocator, ulong[] workingSet, Dictionary<ulong, int> owner, int slot)
        {
            if(allocator.TryAllocatePage(PageKind.Program, out var address) != AllocationError.None)
            {
                throw new InvalidOperationException($"the program could not page in: {allocator.LastFailureMessage}");
            }
            allocator.Reference(address);
            workingSet[slot] = address;
            owner[address] = slot;
        }

        private static OccupancySample Sample(FrameAllocator allocator, long streamed)
        {
            return new OccupancySample(streamed, allocator.GetStatistics()
                .Select(s => new RangeOccupancy(s.Name, s.Pages, s.Active + s.Inactive - s.CachePages, s.CachePages, s.Wired, s.Free))
                .ToArray());
        }

        // Memory is short when all lists together have fewer free frames than their free targets.
        private static bool IsShort(FrameAllocator allocator)
        {
            long free = 0, target = 0;
            foreach(var s in allocator.GetStatistics())
            {
                free += s.Free;
                target += s.FreeTarget;
            }
            return free < target;
        }

        private static string Percent(long part, long whole)
        {
            return $"{100.0 * part / Math.Max(1, whole):0}%";
        }

        private readonly double reuseIntervalShare;
        private readonly int workingSetPercent;

        public const double DefaultReuseIntervalShare = 1.0;
        public const int DefaultWorkingSetPercent = 30;
        // How often, per physical memory's worth of streamed pages, the page daemon looks whether
        // memory is short.
        private const long PagerChecksPerMemory = 64;
        private const long Samples = 200;
    }
}
