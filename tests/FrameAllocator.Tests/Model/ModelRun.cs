using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests.Model
{
    // Runs one ModelCase against a real FrameAllocator and the FrameOracle side by side and
    // throws ModelViolation at the first disagreement. Free/wired state is fully determined by
    // the calls, so the oracle predicts it; where the allocator has discretion (which page the
    // pager ages or reclaims, which page a new page evicts) the run checks that the observed
    // change is one the contract allows and then adopts it.
    public sealed class ModelRun
    {
        public ModelRun(ModelCase testCase)
        {
            this.testCase = testCase;
            ranges = testCase.BuildRanges();
            allocator = new FrameAllocator(ranges, testCase.Policy, testCase.CachePercent);
            oracle = new FrameOracle(ranges);
            endPage = (long)(ranges[ranges.Count - 1].End / Layouts.Page);
            freeTargets = new long[ranges.Count];
            inactiveTargets = new long[ranges.Count];
            actual = new PageState[oracle.FrameCount];
        }

        public FrameAllocator Allocator => allocator;

        public void Execute()
        {
            step = -1;
            description = "construction";
            CheckConstruction();
            var before = TakeCounters();
            CheckAgainstOracle(before);
            for(step = 0; step < testCase.Ops.Length; step++)
            {
                var op = testCase.Ops[step];
                description = op.ToString();
                before = TakeCounters();
                switch(op.Kind)
                {
                    case ModelOpKind.Allocate:
                        Allocate(op.Args, before);
                        break;
                    case ModelOpKind.AllocateFrame:
                        Allocate(SingleFrameArgs(op.Args), before, op.Args[11] % 2 == 0);
                        break;
                    case ModelOpKind.Free:
                        Free(op.Args, before);
                        break;
                    case ModelOpKind.AllocatePage:
                        AllocatePages(op.Args, before);
                        break;
                    case ModelOpKind.Reference:
                        Reference(op.Args);
                        break;
                    case ModelOpKind.ReleasePage:
                        ReleasePage(op.Args, before);
                        break;
                    case ModelOpKind.RunPager:
                        RunPager(before);
                        break;
                    case ModelOpKind.SetPagerTargets:
                        SetPagerTargets(op.Args);
                        break;
                }
                CheckAgainstOracle(before);
            }
        }

        private void CheckConstruction()
        {
            Require(allocator.Ranges.Count == ranges.Count, $"Ranges has {allocator.Ranges.Count} entries, built with {ranges.Count}");
            Require(allocator.TotalPages == oracle.FrameCount, $"TotalPages {allocator.TotalPages}, expected {oracle.FrameCount}");
            Require(allocator.Policy == testCase.Policy, $"Policy {allocator.Policy}, built with {testCase.Policy}");
            Require(allocator.BufferCacheCapPercent == testCase.CachePercent, $"BufferCacheCapPercent {allocator.BufferCacheCapPercent}, built with {testCase.CachePercent}");
            if(CapEnabled)
            {
                var exact = oracle.FrameCount * (long)testCase.CachePercent;
                var floor = exact / 100;
                var ceiling = (exact + 99) / 100;
                Require(allocator.BufferCacheCapPages >= floor && allocator.BufferCacheCapPages <= ceiling,
                    $"BufferCacheCapPages {allocator.BufferCacheCapPages} is not {testCase.CachePercent}% of {oracle.FrameCount} pages");
            }
            var stats = allocator.GetStatistics();
            for(var r = 0; r < ranges.Count; r++)
            {
                var s = StatsOf(stats, r);
                Require(s.FreeTarget >= 0 && s.InactiveTarget >= 0, $"negative default pager targets for {s.Name}: {s.FreeTarget}, {s.InactiveTarget}");
                freeTargets[r] = s.FreeTarget;
                inactiveTargets[r] = s.InactiveTarget;
            }
        }

        // Allocate's arguments narrowed to one page, alignment at most a page and no preferred
        // range; window, boundary, segment limits and the call variant stay as drawn.
        private static int[] SingleFrameArgs(int[] args)
        {
            var a = (int[])args.Clone();
            a[0] -= a[0] % 64;
            a[4] = a[4] / 12 * 12 + a[4] % 4;
            a[8] = a[8] / 16 * 16 + a[8] % 10;
            return a;
        }

        // frameCall: TryAllocateFrame(low, high), the window drawn and every other constraint at
        // its default (one page, page alignment, no boundary, one segment, no preference).
        private void Allocate(int[] a, Counters before, bool frameCall = false)
        {
            var pages = a[0] % 64 + 1;
            ulong low;
            ulong high;
            var windowKind = a[1] % 10;
            if(windowKind <= 4)
            {
                low = 0;
                high = ulong.MaxValue;
            }
            else if(windowKind == 5)
            {
                low = 0;
                high = (ulong)endPage * Layouts.Page;
            }
            else if(windowKind <= 7)
            {
                var r = oracle.Range(a[2] % oracle.RangeCount);
                low = r.Base;
                high = r.End;
            }
            else
            {
                var lowPage = a[2] % (endPage + 8);
                var highPage = a[3] % 16 == 0 ? lowPage : lowPage + 1 + a[3] % (endPage + 8 - lowPage);
                low = (ulong)lowPage * Layouts.Page;
                high = (ulong)highPage * Layouts.Page;
            }

            var alignKind = a[4] % 12;
            var alignment = alignKind <= 2 ? 0UL : (1UL << (alignKind - 3)) * Layouts.Page;
            if(a[4] % 97 == 1)
            {
                alignment = 3 * Layouts.Page;
            }

            var segmentKind = a[6] % 11;
            var maxSegments = segmentKind <= 2 ? int.MaxValue : segmentKind - 2;
            if(a[6] % 101 == 3)
            {
                maxSegments = 0;
            }
            var variant = a[9] % 3;
            var destinationLength = 1 + a[9] / 3 % 10;
            var effectiveSegments = variant == 2 ? Math.Min(maxSegments, destinationLength) : maxSegments;
            var alignPages = alignment == 0 ? 1L : (long)(alignment / Layouts.Page);

            var boundaryKind = a[5] % 13;
            var boundary = 0UL;
            if(boundaryKind >= 6 && boundaryKind <= 11)
            {
                var need = (ulong)Math.Max(alignPages, effectiveSegments == 1 ? pages : 1);
                boundary = RoundUpToPowerOfTwo(need) << (boundaryKind - 6);
                boundary *= Layouts.Page;
            }
            else if(boundaryKind == 12)
            {
                boundary = (1UL << (a[7] % 4)) * Layouts.Page;
            }

            var segmentSizeKind = a[7] % 8;
            var maxSegmentSize = segmentSizeKind <= 4 ? 0UL : (1UL << (a[7] / 8 % 6)) * Layouts.Page;
            if(segmentSizeKind >= 6 && effectiveSegments < int.MaxValue)
            {
                // Mostly a limit the request can meet: at least pages / segments.
                var share = (ulong)((pages + effectiveSegments - 1) / Math.Max(1, effectiveSegments));
                maxSegmentSize = Math.Max(maxSegmentSize, RoundUpToPowerOfTwo(share) * Layouts.Page);
            }
            if(a[7] % 89 == 5)
            {
                maxSegmentSize = 1000;
            }

            var preferKind = a[8] % 16;
            var preferred = preferKind <= 9 ? null : preferKind == 15 ? "nosuch" : "r" + (preferKind - 10) % oracle.RangeCount;

            if(frameCall)
            {
                pages = 1;
                alignment = 0;
                alignPages = 1;
                boundary = 0;
                maxSegments = 1;
                effectiveSegments = 1;
                maxSegmentSize = 0;
                preferred = null;
                variant = 3;
            }
            var bytes = variant == 0 || variant == 3 ? (ulong)pages * Layouts.Page : (ulong)pages * Layouts.Page - (ulong)(a[10] % (int)Layouts.Page);
            var c = new AllocationConstraints
            {
                Low = low,
                High = high,
                Alignment = alignment,
                Boundary = boundary,
                MaxSegments = maxSegments,
                MaxSegmentSize = maxSegmentSize,
                PreferredRange = preferred
            };
            var call = variant == 0 ? $"AllocatePages({pages}, {c})"
                : variant == 1 ? $"Allocate(0x{bytes:X}, {c})"
                : variant == 2 ? $"TryAllocate(0x{bytes:X}, {c}, destination[{destinationLength}])"
                : $"TryAllocateFrame(0x{low:X}, 0x{high:X})";
            description += " = " + call;

            // Every condition the AllocationError comments name; when several hold, any of them is acceptable.
            var size = (ulong)pages * Layouts.Page;
            var definite = new HashSet<AllocationError>();
            var ambiguous = new HashSet<AllocationError>();
            if(alignment != 0 && !IsPowerOfTwo(alignment))
            {
                definite.Add(AllocationError.InvalidAlignment);
            }
            var effectiveAlignment = alignment == 0 ? Layouts.Page : alignment;
            if(boundary != 0)
            {
                if(!IsPowerOfTwo(boundary) || boundary < Layouts.Page)
                {
                    definite.Add(AllocationError.InvalidBoundary);
                }
                else if(boundary < effectiveAlignment)
                {
                    // AllocationError.InvalidBoundary says "or than the alignment"; docs/frame-allocator.md
                    // leaves it out. Either refusing or honouring both constraints is acceptable.
                    ambiguous.Add(AllocationError.InvalidBoundary);
                }
                else if(boundary < size && maxSegments == 1)
                {
                    definite.Add(AllocationError.InvalidBoundary);
                }
                else if(boundary < size && effectiveSegments == 1)
                {
                    // Contiguous only because the destination span holds one segment: the docs do not say
                    // whether that counts as "a contiguous request".
                    ambiguous.Add(AllocationError.InvalidBoundary);
                }
            }
            if(low >= high || high - low < size)
            {
                definite.Add(AllocationError.InvalidWindow);
            }
            if(maxSegments < 1 || maxSegmentSize % Layouts.Page != 0)
            {
                definite.Add(AllocationError.InvalidSegmentLimits);
            }
            else if(maxSegmentSize != 0 && (ulong)effectiveSegments * maxSegmentSize < size)
            {
                // Can never fit, whatever is free: InvalidSegmentLimits in docs/frame-allocator.md, while
                // the AllocationError comments would call it Fragmented (or InsufficientMemory).
                ambiguous.Add(AllocationError.InvalidSegmentLimits);
            }
            var preferredIndex = preferred == null ? -1 : oracle.RangeIndex(preferred);
            if(preferred != null && preferredIndex < 0)
            {
                definite.Add(AllocationError.UnknownRange);
            }
            var eligible = new List<int>();
            for(var r = 0; r < oracle.RangeCount; r++)
            {
                if(low < high && oracle.Range(r).Base < high && oracle.Range(r).End > low)
                {
                    eligible.Add(r);
                }
            }
            if(eligible.Count == 0)
            {
                definite.Add(AllocationError.NoRangeInWindow);
            }

            var fits = new Dictionary<int, bool>();
            var witnesses = new Dictionary<int, List<Segment>>();
            var mostFree = 0;
            if(definite.Count == 0)
            {
                foreach(var r in eligible)
                {
                    var boundaryPages = (long)(boundary / Layouts.Page);
                    var segmentPages = (long)(maxSegmentSize / Layouts.Page);
                    witnesses[r] = PlacementSearch.Find(oracle, r, low, high, pages, alignPages, boundaryPages, effectiveSegments, segmentPages);
                    fits[r] = witnesses[r] != null;
                    mostFree = Math.Max(mostFree, FreeInWindow(r, low, high));
                }
            }

            AllocationError error;
            Segment[] segments;
            string message = null;
            if(variant == 3)
            {
                error = allocator.TryAllocateFrame(low, high, out var frame);
                Require(error == AllocationError.None || frame == default, $"failed TryAllocateFrame returned {frame}");
                segments = error == AllocationError.None ? new[] { frame } : Array.Empty<Segment>();
            }
            else if(variant == 2)
            {
                var destination = new Segment[destinationLength];
                error = allocator.TryAllocate(bytes, c, destination, out var count);
                Require(error == AllocationError.None || count == 0, $"failed TryAllocate reported {count} segments");
                Require(count >= 0 && count <= destinationLength, $"segmentCount {count} outside the destination of {destinationLength}");
                segments = destination.Take(Math.Max(0, Math.Min(count, destinationLength))).ToArray();
            }
            else
            {
                var result = variant == 0 ? allocator.AllocatePages(pages, c) : allocator.Allocate(bytes, c);
                error = result.Error;
                segments = result.Segments;
                message = result.Message;
                Require(result.Succeeded == (error == AllocationError.None), "Succeeded disagrees with Error");
            }
            description += $" -> {error} {string.Join(" ", segments)}";

            if(error != AllocationError.None)
            {
                Require(segments.Length == 0, "a failed allocation returned segments");
                Require(!string.IsNullOrEmpty(allocator.LastFailureMessage), "LastFailureMessage is empty after a failure");
                Require(message == null || message.Length > 0, "a failed AllocationResult has no message");
                if(definite.Count > 0 || ambiguous.Contains(error))
                {
                    Require(definite.Contains(error) || ambiguous.Contains(error),
                        $"error {error}, expected one of {string.Join("/", definite.Concat(ambiguous))}");
                }
                else
                {
                    var fitting = eligible.Where(r => fits[r]).Select(r => $"{oracle.Range(r).Name} as {string.Join(" ", witnesses[r])}").ToList();
                    Require(fitting.Count == 0, $"error {error} although the request fits: {string.Join("; ", fitting)}");
                    var expected = mostFree < pages ? AllocationError.InsufficientMemory : AllocationError.Fragmented;
                    Require(error == expected, $"error {error}, expected {expected} (most free frames in the window of one eligible list: {mostFree}, requested {pages})");
                    var failuresBefore = before.Statistics.Sum(s => s.Failures);
                    var failuresAfter = allocator.GetStatistics().Sum(s => s.Failures);
                    Require(failuresAfter > failuresBefore, $"Failures did not count a {error} failure");
                }
                RequireCountersUnchanged(before, "failed allocation");
                return;
            }

            Require(definite.Count == 0, $"succeeded although the constraints are invalid ({string.Join("/", definite)})");
            CheckSegments(segments, c, pages, effectiveSegments);
            var served = oracle.RangeOfFrame(oracle.FrameOf(segments[0].Address));
            Require(fits.TryGetValue(served, out var servedFits) && servedFits,
                $"served from {oracle.Range(served).Name} where the model finds no placement");
            if(preferredIndex >= 0 && eligible.Contains(preferredIndex) && fits[preferredIndex])
            {
                Require(served == preferredIndex, $"served from {oracle.Range(served).Name}, but the preferred {preferred} fits, e.g. as {string.Join(" ", witnesses[preferredIndex])}");
            }
            else if(testCase.Policy == ListPolicy.LeastConstrainedFirst)
            {
                var first = eligible.Where(r => r != preferredIndex && fits[r]).OrderByDescending(r => oracle.Range(r).Base).First();
                Require(served == first, $"LeastConstrainedFirst served from {oracle.Range(served).Name}, but {oracle.Range(first).Name} is higher and fits, e.g. as {string.Join(" ", witnesses[first])}");
            }
            oracle.Wire(segments);
        }

        private void CheckSegments(Segment[] segments, AllocationConstraints c, long pages, int effectiveSegments)
        {
            Require(segments.Length >= 1, "success without segments");
            Require(segments.Length <= effectiveSegments, $"{segments.Length} segments, limit {effectiveSegments}");
            var total = 0UL;
            var range = -1;
            var alignment = c.Alignment == 0 ? Layouts.Page : c.Alignment;
            Require(segments[0].Address % alignment == 0, $"first segment {segments[0]} not aligned to 0x{alignment:X}");
            for(var i = 0; i < segments.Length; i++)
            {
                var s = segments[i];
                total += s.Length;
                Require(s.Length > 0 && s.Length % Layouts.Page == 0 && s.Address % Layouts.Page == 0, $"segment {s} is not whole pages");
                Require(s.Address >= c.Low && s.End <= c.High && s.End > s.Address, $"segment {s} outside the window");
                Require(c.Boundary == 0 || s.Address / c.Boundary == (s.End - 1) / c.Boundary, $"segment {s} crosses a 0x{c.Boundary:X} boundary");
                Require(c.MaxSegmentSize == 0 || s.Length <= c.MaxSegmentSize, $"segment {s} longer than 0x{c.MaxSegmentSize:X}");
                if(i > 0)
                {
                    var previous = segments[i - 1];
                    Require(previous.End <= s.Address, $"segments {previous} and {s} not ascending or overlapping");
                    if(previous.End == s.Address)
                    {
                        var mergeTooLong = c.MaxSegmentSize != 0 && previous.Length + s.Length > c.MaxSegmentSize;
                        var mergeCrosses = c.Boundary != 0 && s.Address % c.Boundary == 0;
                        Require(mergeTooLong || mergeCrosses, $"segments {previous} and {s} touch but were not coalesced");
                    }
                }
                foreach(var f in oracle.FramesOf(s))
                {
                    Require(f >= 0, $"segment {s} covers an address in no range");
                    var r = oracle.RangeOfFrame(f);
                    Require(range < 0 || range == r, $"allocation spans lists {oracle.Range(range).Name} and {oracle.Range(r).Name}");
                    range = r;
                    Require(oracle.State(f) == PageState.Free, $"frame 0x{oracle.AddressOf(f):X} handed out but it is {oracle.State(f)}"
                        + (oracle.State(f) == PageState.Wired ? $" by allocation #{oracle.Owner(f)}" : string.Empty));
                }
            }
            Require(total == (ulong)pages * Layouts.Page, $"segments total 0x{total:X}, requested {pages} pages");
        }

        private void Free(int[] a, Counters before)
        {
            var mode = a[0] % 10;
            var liveIds = oracle.Live.Keys.OrderBy(id => id).ToList();
            Segment[] segments = null;
            var kind = "good";
            if(mode <= 5 && liveIds.Count > 0)
            {
                segments = oracle.Live[liveIds[a[1] % liveIds.Count]].ToArray();
            }
            else if(mode == 6 && oracle.Returned.Count > 0)
            {
                kind = "double";
                segments = oracle.Returned[a[1] % oracle.Returned.Count].ToArray();
            }
            else if(mode == 8 && liveIds.Any(id => oracle.Live[id].Length > 1))
            {
                kind = "partial list";
                var multi = liveIds.Where(id => oracle.Live[id].Length > 1).ToList();
                var list = oracle.Live[multi[a[1] % multi.Count]].ToList();
                list.RemoveAt(a[3] % list.Count);
                segments = list.ToArray();
            }
            else if((mode == 8 || mode == 9) && liveIds.Any(id => oracle.Live[id].Any(s => s.Length > Layouts.Page)))
            {
                kind = "truncated";
                var longer = liveIds.Where(id => oracle.Live[id].Any(s => s.Length > Layouts.Page)).ToList();
                segments = oracle.Live[longer[a[1] % longer.Count]].ToArray();
                var candidates = Enumerable.Range(0, segments.Length).Where(i => segments[i].Length > Layouts.Page).ToList();
                var i = candidates[a[3] % candidates.Count];
                segments[i] = a[4] % 2 == 0
                    ? new Segment(segments[i].Address, segments[i].Length - Layouts.Page)
                    : new Segment(segments[i].Address + Layouts.Page, segments[i].Length - Layouts.Page);
            }
            if(segments == null)
            {
                kind = "never allocated";
                var page = (ulong)(a[3] % (endPage + 4));
                segments = new[] { new Segment(page * Layouts.Page, (ulong)(1 + a[4] % 4) * Layouts.Page) };
            }

            var exact = oracle.Live.Where(entry => entry.Value.SequenceEqual(segments)).Select(entry => entry.Key).FirstOrDefault();
            var acceptable = new HashSet<AllocationError>();
            if(exact != 0)
            {
                acceptable.Add(AllocationError.None);
            }
            else
            {
                var owners = new HashSet<int>();
                var notWired = false;
                foreach(var s in segments)
                {
                    foreach(var f in oracle.FramesOf(s))
                    {
                        if(f >= 0 && oracle.State(f) == PageState.Wired)
                        {
                            owners.Add(oracle.Owner(f));
                        }
                        else
                        {
                            notWired = true;
                        }
                    }
                }
                if(owners.Count == 0)
                {
                    acceptable.Add(AllocationError.NotAllocated);
                }
                else if(!notWired && owners.Count == 1)
                {
                    acceptable.Add(AllocationError.PartialFree);
                }
                else
                {
                    // Part wired, part not (or two allocations): the docs do not rank the two errors.
                    acceptable.Add(AllocationError.NotAllocated);
                    acceptable.Add(AllocationError.PartialFree);
                }
            }

            AllocationError error;
            string message = null;
            if(a[2] % 4 == 3 && segments.Length == 1 && segments[0].Length == Layouts.Page)
            {
                error = allocator.FreeFrame(segments[0].Address);
                description += " (FreeFrame)";
            }
            else if(a[2] % 2 == 0)
            {
                var result = allocator.Free(segments);
                error = result.Error;
                message = result.Message;
            }
            else
            {
                error = allocator.Free(new ReadOnlySpan<Segment>(segments));
            }
            description += $" = Free {kind} {string.Join(" ", segments)} -> {error}";
            Require(acceptable.Contains(error), $"error {error}, expected {string.Join("/", acceptable)}");
            if(error == AllocationError.None)
            {
                oracle.Unwire(exact);
            }
            else
            {
                Require(message == null || message.Length > 0, "a failed Free result has no message");
                RequireCountersUnchanged(before, "failed free");
            }
        }

        // One page, or a burst of them (a program faulting in its working set, a file read).
        private void AllocatePages(int[] a, Counters before)
        {
            var count = a[3] % 3 == 0 ? 1 + a[4] % 96 : 1;
            var head = description;
            for(var i = 0; i < count; i++)
            {
                description = count == 1 ? head : $"{head} page {i + 1} of {count}";
                if(i > 0)
                {
                    before = TakeCounters();
                }
                if(!AllocatePage(a, before))
                {
                    return;
                }
            }
        }

        private bool AllocatePage(int[] a, Counters before)
        {
            var kind = a[0] % 2 == 0 ? PageKind.Program : PageKind.Cache;
            var preferred = a[1] % 6 >= 4 ? "r" + a[2] % oracle.RangeCount : null;
            var preferredIndex = preferred == null ? -1 : oracle.RangeIndex(preferred);
            var anyFree = oracle.CountAll(f => oracle.State(f) == PageState.Free) > 0;
            var cacheBefore = oracle.CountAll(f => oracle.IsPageable(f) && oracle.Kind(f) == PageKind.Cache);
            var atCap = CapEnabled && cacheBefore >= allocator.BufferCacheCapPages;
            var error = allocator.TryAllocatePage(kind, out var address, preferred);
            description += $" = TryAllocatePage({kind}, {preferred ?? "null"}) -> {error} 0x{address:X}" + (atCap ? " (cache at cap)" : string.Empty);
            if(anyFree && !(kind == PageKind.Cache && atCap))
            {
                // Nothing to reclaim: only the new page may change (the end-of-step comparison of
                // every frame catches anything else).
                return TakeFreeFrameForPage(kind, error, address, preferred, preferredIndex, before);
            }
            ReadActualStates();

            if(error != AllocationError.None)
            {
                // Documented: fails only when nothing pageable is left to reclaim.
                Require(error == AllocationError.InsufficientMemory, $"error {error}, expected InsufficientMemory");
                Require(!anyFree, $"page allocation failed with {error} although free frames exist");
                var pageable = oracle.CountAll(f => oracle.IsPageable(f));
                Require(pageable == 0, $"page allocation failed with {error} although {pageable} pageable pages could be reclaimed");
                RequireCountersUnchanged(before, "failed page allocation");
                return false;
            }

            var frame = oracle.FrameOf(address);
            Require(frame >= 0 && address % Layouts.Page == 0, $"page address 0x{address:X} is not a frame");
            Require(oracle.State(frame) != PageState.Wired, $"new page 0x{address:X} was wired");
            Require(actual[frame] == PageState.Active || actual[frame] == PageState.Inactive, $"new page is {actual[frame]}");
            Require(allocator.GetPageKind(address) == kind, $"new page has kind {allocator.GetPageKind(address)}");
            // Reclaiming for a new page may age other pages (second chance), but frees at most one.
            var evicted = new List<int>();
            var aged = 0;
            for(var f = 0; f < oracle.FrameCount; f++)
            {
                if(f == frame)
                {
                    if(oracle.IsPageable(f))
                    {
                        evicted.Add(f);
                    }
                    continue;
                }
                if(actual[f] == oracle.State(f))
                {
                    continue;
                }
                Require(oracle.IsPageable(f), $"page allocation moved frame 0x{oracle.AddressOf(f):X} from {oracle.State(f)} to {actual[f]}");
                if(actual[f] == PageState.Free)
                {
                    evicted.Add(f);
                }
                else
                {
                    Require(actual[f] == PageState.Active || actual[f] == PageState.Inactive,
                        $"page allocation moved page 0x{oracle.AddressOf(f):X} from {oracle.State(f)} to {actual[f]}");
                    aged++;
                }
            }
            var programEvicted = evicted.Count(f => oracle.Kind(f) == PageKind.Program);
            var cacheEvicted = evicted.Count - programEvicted;
            Require(evicted.Count <= 1, $"one page allocation evicted {evicted.Count} pages");
            if(kind == PageKind.Cache && atCap)
            {
                Require(programEvicted == 0, "a cache page at the cap evicted a program page");
                Require(cacheEvicted == 1, "a cache page at the cap did not take one of the cache's own pages");
            }
            else if(evicted.Count > 0)
            {
                Require(!anyFree, "a page allocation evicted a page although free frames exist");
            }
            else
            {
                Require(aged == 0, $"a page allocation with free frames at hand aged {aged} pages");
            }
            Require(allocator.ProgramPagesEvicted - before.ProgramEvicted == programEvicted,
                $"ProgramPagesEvicted grew by {allocator.ProgramPagesEvicted - before.ProgramEvicted}, {programEvicted} program pages were evicted");
            Require(allocator.CachePagesEvicted - before.CacheEvicted == cacheEvicted,
                $"CachePagesEvicted grew by {allocator.CachePagesEvicted - before.CacheEvicted}, {cacheEvicted} cache pages were evicted");
            if(evicted.Count == 0)
            {
                RequirePageFromTheRightList(frame, preferred, preferredIndex);
            }
            for(var f = 0; f < oracle.FrameCount; f++)
            {
                if(f != frame && oracle.IsPageable(f))
                {
                    if(actual[f] == PageState.Free)
                    {
                        oracle.Release(f);
                    }
                    else if(actual[f] != oracle.State(f))
                    {
                        oracle.SetPage(f, actual[f], oracle.Kind(f));
                    }
                }
            }
            oracle.SetPage(frame, actual[frame], kind);
            if(evicted.Count > 0)
            {
                // The eviction scan may have cleared reference marks the model cannot see.
                oracle.ForgetReferences();
            }
            return true;
        }

        private bool TakeFreeFrameForPage(PageKind kind, AllocationError error, ulong address, string preferred, int preferredIndex, Counters before)
        {
            Require(error == AllocationError.None, $"page allocation failed with {error} although free frames exist");
            var frame = oracle.FrameOf(address);
            Require(frame >= 0 && address % Layouts.Page == 0, $"page address 0x{address:X} is not a frame");
            Require(oracle.State(frame) == PageState.Free, $"new page 0x{address:X} was {oracle.State(frame)} although free frames exist");
            var state = allocator.GetPageState(address);
            Require(state == PageState.Active || state == PageState.Inactive, $"new page is {state}");
            Require(allocator.GetPageKind(address) == kind, $"new page has kind {allocator.GetPageKind(address)}");
            Require(allocator.ProgramPagesEvicted == before.ProgramEvicted && allocator.CachePagesEvicted == before.CacheEvicted,
                "a page allocation evicted a page although free frames exist");
            RequirePageFromTheRightList(frame, preferred, preferredIndex);
            oracle.SetPage(frame, state, kind);
            return true;
        }

        // A page taken from a free frame came from the preferred list if it had a free frame,
        // else (LeastConstrainedFirst) from the highest list that had one.
        private void RequirePageFromTheRightList(int frame, string preferred, int preferredIndex)
        {
            var served = oracle.RangeOfFrame(frame);
            if(preferredIndex >= 0 && oracle.Count(preferredIndex, PageState.Free) > 0)
            {
                Require(served == preferredIndex, $"page from {oracle.Range(served).Name} although the preferred {preferred} has free frames");
            }
            else if(testCase.Policy == ListPolicy.LeastConstrainedFirst)
            {
                var first = Enumerable.Range(0, oracle.RangeCount)
                    .Where(r => r != preferredIndex && oracle.Count(r, PageState.Free) > 0)
                    .OrderByDescending(r => oracle.Range(r).Base).First();
                Require(served == first, $"LeastConstrainedFirst took a page from {oracle.Range(served).Name}, but {oracle.Range(first).Name} is higher and has free frames");
            }
        }

        private void Reference(int[] a)
        {
            var mode = a[0] % 8;
            var pageable = oracle.PageableFrames();
            if(mode == 7)
            {
                var touched = 0;
                for(var i = 0; i < pageable.Count; i++)
                {
                    if((i + a[1]) % 2 == 0)
                    {
                        ReferenceOne(oracle.AddressOf(pageable[i]));
                        touched++;
                    }
                }
                description += $" = Reference {touched} of {pageable.Count} pages";
                return;
            }
            var address = mode <= 5 && pageable.Count > 0 ? oracle.AddressOf(pageable[a[1] % pageable.Count]) : (ulong)(a[1] % (endPage + 4)) * Layouts.Page;
            description += $" = Reference(0x{address:X})";
            ReferenceOne(address);
        }

        private void ReferenceOne(ulong address)
        {
            var frame = oracle.FrameOf(address);
            var expected = frame >= 0 && oracle.IsPageable(frame);
            var result = allocator.Reference(address);
            Require(result == expected, $"Reference(0x{address:X}) returned {result} for a {(frame >= 0 ? oracle.State(frame).ToString() : "outside")} frame");
            if(!expected)
            {
                return;
            }
            var state = allocator.GetPageState(address);
            if(state != oracle.State(frame))
            {
                // Reactivating on use is a choice the docs leave open; nothing else may change.
                Require(oracle.State(frame) == PageState.Inactive && state == PageState.Active, $"Reference moved 0x{address:X} from {oracle.State(frame)} to {state}");
                oracle.SetPage(frame, state, oracle.Kind(frame));
            }
            oracle.MarkReferenced(frame);
        }

        private void ReleasePage(int[] a, Counters before)
        {
            var pageable = oracle.PageableFrames();
            var address = a[0] % 8 <= 5 && pageable.Count > 0 ? oracle.AddressOf(pageable[a[1] % pageable.Count]) : (ulong)(a[1] % (endPage + 4)) * Layouts.Page;
            var frame = oracle.FrameOf(address);
            var expected = frame >= 0 && oracle.IsPageable(frame) ? AllocationError.None : AllocationError.NotAPage;
            var error = allocator.ReleasePage(address);
            description += $" = ReleasePage(0x{address:X}) -> {error}";
            Require(error == expected, $"error {error}, expected {expected}");
            if(error == AllocationError.None)
            {
                oracle.Release(frame);
            }
            else
            {
                RequireCountersUnchanged(before, "failed release");
            }
        }

        private void RunPager(Counters before)
        {
            var result = allocator.RunPager();
            description += $" = RunPager -> {result}";
            ReadActualStates();
            long activeDelta = 0;
            long inactiveDelta = 0;
            long reclaimed = 0;
            long programReclaimed = 0;
            var reclaimedPerList = new long[oracle.RangeCount];
            for(var f = 0; f < oracle.FrameCount; f++)
            {
                var was = oracle.State(f);
                var now = actual[f];
                if(!oracle.IsPageable(f))
                {
                    Require(now == was, $"the pager moved frame 0x{oracle.AddressOf(f):X} from {was} to {now}");
                    continue;
                }
                Require(now != PageState.Wired && now != PageState.Outside, $"the pager made page 0x{oracle.AddressOf(f):X} {now}");
                if(oracle.Referenced(f))
                {
                    Require(now != PageState.Free, $"the pager reclaimed page 0x{oracle.AddressOf(f):X} referenced since the last pass");
                    Require(was != PageState.Active || now == PageState.Active, $"the pager deactivated page 0x{oracle.AddressOf(f):X} referenced since the last pass");
                }
                activeDelta += (now == PageState.Active ? 1 : 0) - (was == PageState.Active ? 1 : 0);
                inactiveDelta += (now == PageState.Inactive ? 1 : 0) - (was == PageState.Inactive ? 1 : 0);
                if(now == PageState.Free)
                {
                    reclaimed++;
                    reclaimedPerList[oracle.RangeOfFrame(f)]++;
                    if(oracle.Kind(f) == PageKind.Program)
                    {
                        programReclaimed++;
                    }
                }
                else
                {
                    Require(allocator.GetPageKind(oracle.AddressOf(f)) == oracle.Kind(f), $"the pager changed the kind of page 0x{oracle.AddressOf(f):X}");
                }
            }
            Require(result.Reclaimed == reclaimed, $"Reclaimed {result.Reclaimed}, but {reclaimed} pages became free");
            Require(activeDelta == result.Reactivated - result.Deactivated,
                $"active pages changed by {activeDelta}, but Reactivated - Deactivated = {result.Reactivated - result.Deactivated}");
            Require(inactiveDelta == result.Deactivated - result.Reactivated - result.Reclaimed,
                $"inactive pages changed by {inactiveDelta}, but Deactivated - Reactivated - Reclaimed = {result.Deactivated - result.Reactivated - result.Reclaimed}");
            Require(allocator.ProgramPagesEvicted - before.ProgramEvicted == programReclaimed, "ProgramPagesEvicted does not match the program pages reclaimed");
            Require(allocator.CachePagesEvicted - before.CacheEvicted == reclaimed - programReclaimed, "CachePagesEvicted does not match the cache pages reclaimed");
            for(var r = 0; r < oracle.RangeCount; r++)
            {
                var freeBefore = oracle.Count(r, PageState.Free);
                Require(reclaimedPerList[r] == 0 || freeBefore < freeTargets[r],
                    $"the pager reclaimed {reclaimedPerList[r]} pages in {oracle.Range(r).Name}, which had {freeBefore} free frames and free target {freeTargets[r]}");
            }
            for(var f = 0; f < oracle.FrameCount; f++)
            {
                if(!oracle.IsPageable(f))
                {
                    continue;
                }
                if(actual[f] == PageState.Free)
                {
                    oracle.Release(f);
                }
                else
                {
                    oracle.SetPage(f, actual[f], oracle.Kind(f));
                }
            }
            oracle.ForgetReferences();
        }

        private void SetPagerTargets(int[] a)
        {
            var r = a[0] % oracle.RangeCount;
            var pages = oracle.EndFrame(r) - oracle.FirstFrame(r);
            var freeTarget = a[1] % (pages / 4 + 1);
            var inactiveTarget = a[2] % (pages / 2 + 1);
            description += $" = SetPagerTargets({oracle.Range(r).Name}, {freeTarget}, {inactiveTarget})";
            allocator.SetPagerTargets(oracle.Range(r).Name, freeTarget, inactiveTarget);
            freeTargets[r] = freeTarget;
            inactiveTargets[r] = inactiveTarget;
        }

        private void CheckAgainstOracle(Counters before)
        {
            for(var f = 0; f < oracle.FrameCount; f++)
            {
                var address = oracle.AddressOf(f);
                var state = allocator.GetPageState(address);
                Require(state == oracle.State(f), $"frame 0x{address:X} is {state}, the model says {oracle.State(f)}");
                if(oracle.IsPageable(f))
                {
                    var kind = allocator.GetPageKind(address);
                    Require(kind == oracle.Kind(f), $"page 0x{address:X} has kind {kind}, the model says {oracle.Kind(f)}");
                }
            }
            for(var r = 0; r + 1 < oracle.RangeCount; r++)
            {
                if(oracle.Range(r).End < oracle.Range(r + 1).Base)
                {
                    Require(allocator.GetPageState(oracle.Range(r).End) == PageState.Outside, $"hole at 0x{oracle.Range(r).End:X} is not Outside");
                }
            }
            Require(allocator.GetPageState((ulong)endPage * Layouts.Page) == PageState.Outside, "the end of the layout is not Outside");

            var stats = allocator.GetStatistics();
            Require(stats.Count == oracle.RangeCount, $"{stats.Count} statistics rows for {oracle.RangeCount} ranges");
            long cachePages = 0;
            for(var r = 0; r < oracle.RangeCount; r++)
            {
                var s = StatsOf(stats, r);
                var range = oracle.Range(r);
                var pages = oracle.EndFrame(r) - oracle.FirstFrame(r);
                Require(s.Base == range.Base && s.Size == range.Size && s.PageSize == range.PageSize && s.Pages == pages, $"{s.Name}: geometry is wrong");
                Require(s.Free + s.Wired + s.Active + s.Inactive == s.Pages,
                    $"{s.Name}: free {s.Free} + wired {s.Wired} + active {s.Active} + inactive {s.Inactive} != {s.Pages} pages");
                Require(s.Free == oracle.Count(r, PageState.Free) && s.Wired == oracle.Count(r, PageState.Wired)
                    && s.Active == oracle.Count(r, PageState.Active) && s.Inactive == oracle.Count(r, PageState.Inactive),
                    $"{s.Name}: statistics free/wired/active/inactive {s.Free}/{s.Wired}/{s.Active}/{s.Inactive}, model "
                    + $"{oracle.Count(r, PageState.Free)}/{oracle.Count(r, PageState.Wired)}/{oracle.Count(r, PageState.Active)}/{oracle.Count(r, PageState.Inactive)}");
                Require(s.CachePages == oracle.CountCache(r), $"{s.Name}: CachePages {s.CachePages}, model {oracle.CountCache(r)}");
                Require(s.FreeTarget == freeTargets[r] && s.InactiveTarget == inactiveTargets[r],
                    $"{s.Name}: targets {s.FreeTarget}/{s.InactiveTarget}, set {freeTargets[r]}/{inactiveTargets[r]}");
                var old = before.Statistics[r];
                Require(s.Allocations >= old.Allocations && s.Failures >= old.Failures && s.Reclaims >= old.Reclaims, $"{s.Name}: a counter went backwards");
                cachePages += s.CachePages;
            }
            Require(allocator.CachePages == cachePages, $"CachePages {allocator.CachePages}, lists hold {cachePages}");
            Require(!CapEnabled || allocator.CachePages <= allocator.BufferCacheCapPages,
                $"CachePages {allocator.CachePages} above the cap {allocator.BufferCacheCapPages}");
            Require(allocator.ProgramPagesEvicted >= before.ProgramEvicted && allocator.CachePagesEvicted >= before.CacheEvicted, "an eviction counter went backwards");
            var reclaims = stats.Sum(s => s.Reclaims);
            Require(reclaims == allocator.ProgramPagesEvicted + allocator.CachePagesEvicted,
                $"lists count {reclaims} reclaims, evictions are {allocator.ProgramPagesEvicted} program + {allocator.CachePagesEvicted} cache");
        }

        // A failed call leaves everything as it was; only the failure counters may move.
        private void RequireCountersUnchanged(Counters before, string what)
        {
            var stats = allocator.GetStatistics();
            for(var r = 0; r < oracle.RangeCount; r++)
            {
                var s = StatsOf(stats, r);
                var old = before.Statistics[r];
                Require(s.Free == old.Free && s.Wired == old.Wired && s.Active == old.Active && s.Inactive == old.Inactive
                    && s.CachePages == old.CachePages && s.Allocations == old.Allocations && s.Reclaims == old.Reclaims
                    && s.FreeTarget == old.FreeTarget && s.InactiveTarget == old.InactiveTarget,
                    $"{what} changed the statistics of {s.Name}");
            }
            Require(allocator.ProgramPagesEvicted == before.ProgramEvicted && allocator.CachePagesEvicted == before.CacheEvicted
                && allocator.CachePages == before.CachePages, $"{what} changed the page counters");
        }

        private Counters TakeCounters()
        {
            var stats = allocator.GetStatistics();
            return new Counters
            {
                Statistics = Enumerable.Range(0, oracle.RangeCount).Select(r => StatsOf(stats, r)).ToArray(),
                ProgramEvicted = allocator.ProgramPagesEvicted,
                CacheEvicted = allocator.CachePagesEvicted,
                CachePages = allocator.CachePages
            };
        }

        private RangeStatistics StatsOf(IReadOnlyList<RangeStatistics> stats, int range)
        {
            var name = oracle.Range(range).Name;
            var s = stats.FirstOrDefault(x => x.Name == name);
            Require(s != null, $"no statistics for {name}");
            return s;
        }

        private void ReadActualStates()
        {
            for(var f = 0; f < oracle.FrameCount; f++)
            {
                actual[f] = allocator.GetPageState(oracle.AddressOf(f));
            }
        }

        private int FreeInWindow(int range, ulong low, ulong high)
        {
            var n = 0;
            for(var f = oracle.FirstFrame(range); f < oracle.EndFrame(range); f++)
            {
                var address = oracle.AddressOf(f);
                if(address >= low && address < high && oracle.State(f) == PageState.Free)
                {
                    n++;
                }
            }
            return n;
        }

        private void Require(bool condition, string message)
        {
            if(!condition)
            {
                throw new ModelViolation($"step {step} {description}: {message}");
            }
        }

        private void Require(bool condition, [InterpolatedStringHandlerArgument("condition")] ref ViolationMessage message)
        {
            if(!condition)
            {
                throw new ModelViolation($"step {step} {description}: {message.ToString()}");
            }
        }

        private static bool IsPowerOfTwo(ulong value)
        {
            return value != 0 && (value & (value - 1)) == 0;
        }

        private static ulong RoundUpToPowerOfTwo(ulong value)
        {
            var p = 1UL;
            while(p < value)
            {
                p <<= 1;
            }
            return p;
        }

        private bool CapEnabled => testCase.CachePercent < FrameAllocator.NoCacheCap;

        private int step;
        private string description;
        private readonly ModelCase testCase;
        private readonly List<BusRange> ranges;
        private readonly FrameAllocator allocator;
        private readonly FrameOracle oracle;
        private readonly long endPage;
        private readonly long[] freeTargets;
        private readonly long[] inactiveTargets;
        private readonly PageState[] actual;

        private sealed class Counters
        {
            public RangeStatistics[] Statistics;
            public long ProgramEvicted;
            public long CacheEvicted;
            public long CachePages;
        }
    }
}
