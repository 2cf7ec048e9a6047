using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace RenodeFrameAlloc.Frames
{
    // Hands out DMA-safe, unmapped physical page frames from bounded bus ranges, one segregated
    // FrameList per range, with uvm_pglistalloc(9) constraints; and keeps the ranges' pageable
    // pages (program and buffer-cache) on per-list active/inactive queues that a deterministic
    // pager ages and reclaims. The buffer cache is capped at a share of all pages, so streaming
    // file data recycles cache pages instead of evicting program pages.
    //
    // Not thread-safe: the emulator calls it from one thread. Allocate never reclaims pageable
    // pages and never blocks, so a TLB-miss handler may call it; the pager's free targets keep
    // frames available for it.
    //
    // All state is in plain fields and arrays so an emulator snapshot captures it whole.
    public sealed class FrameAllocator
    {
        public const int NoCacheCap = 100;

        // ranges: at least one; each page size a power of two >= 512, base and size multiples of
        // it, size > 0; no two ranges overlap (holes between them are fine).
        // bufferCacheCapPercent: 1..100, the share of all pages the buffer cache may hold;
        // NoCacheCap (100) disables the cap.
        // Throws ArgumentException naming the offending range(s) otherwise.
        public FrameAllocator(IEnumerable<BusRange> ranges, ListPolicy policy = ListPolicy.LeastConstrainedFirst, int bufferCacheCapPercent = 50)
        {
            if(ranges == null)
            {
                throw new ArgumentNullException(nameof(ranges));
            }
            if(bufferCacheCapPercent < 1 || bufferCacheCapPercent > 100)
            {
                throw new ArgumentOutOfRangeException(nameof(bufferCacheCapPercent), bufferCacheCapPercent, "the buffer-cache cap is a percentage from 1 to 100 (100 disables it)");
            }
            var sorted = new List<BusRange>(ranges);
            if(sorted.Count == 0)
            {
                throw new ArgumentException("at least one bus range is needed", nameof(ranges));
            }
            ValidateRanges(sorted);
            sorted.Sort((a, b) => a.Base.CompareTo(b.Base));
            lists = new FrameList[sorted.Count];
            for(var i = 0; i < lists.Length; i++)
            {
                lists[i] = new FrameList(sorted[i], i);
                TotalPages += lists[i].Pages;
                smallestPageSize = i == 0 ? lists[i].PageSize : Math.Min(smallestPageSize, lists[i].PageSize);
                largestPageSize = Math.Max(largestPageSize, lists[i].PageSize);
            }
            rangeView = sorted.AsReadOnly();
            topList = lists[lists.Length - 1];
            drainedCounts = new int[lists.Length];
            firstCandidate = policy == ListPolicy.RoundRobin ? lists[0] : topList;
            Policy = policy;
            BufferCacheCapPercent = bufferCacheCapPercent;
            BufferCacheCapPages = bufferCacheCapPercent == NoCacheCap ? TotalPages : TotalPages * bufferCacheCapPercent / 100;
            pager = new Pager(lists, bufferCacheCapPercent != NoCacheCap, BufferCacheCapPages);
            multiSegmentAllocations = new Dictionary<ulong, Segment[]>();
            lastFailureMessage = string.Empty;
        }

        public IReadOnlyList<BusRange> Ranges => rangeView;
        public ListPolicy Policy { get; }
        public long TotalPages { get; }
        public int BufferCacheCapPercent { get; }
        public long BufferCacheCapPages { get; }
        public long ProgramPagesEvicted => pager.ProgramPagesEvicted;
        public long CachePagesEvicted => pager.CachePagesEvicted;
        public string LastFailureMessage => lastFailureMessage;
        public long CachePages => pager.CachePages;

        // Bytes of metadata the allocator holds for its frames now: bitmaps and their summaries
        // always, page-queue chunks only while pages of theirs are queued. Divide by TotalPages
        // for the per-frame cost.
        public long PerFrameOverheadBytes
        {
            get
            {
                long total = 0;
                foreach(var list in lists)
                {
                    total += list.MetadataBytes;
                }
                return total;
            }
        }

        // ---- Wired frames --------------------------------------------------------------------

        // Allocates size bytes (rounded up to the serving list's page size) of wired, unmapped
        // frames satisfying c. Lists are tried in PreferredRange-then-policy order; one list serves
        // the whole request. On success the segments, ascending and coalesced, are written to
        // destination and segmentCount says how many; at most min(c.MaxSegments, destination.Length).
        // A single-segment success allocates nothing on the heap (a multi-segment one records its
        // segments for Free). On failure returns the error (details in LastFailureMessage) and
        // the allocator is exactly as before; a failed call counts a failure on each list tried.
        // A single frame comes from the serving list's magazine when the window covers the list:
        // the single frame returned last, else the lowest free frame (FrameMagazine).
        public AllocationError TryAllocate(ulong size, in AllocationConstraints c, Span<Segment> destination, out int segmentCount)
        {
            var oneFrame = destination.Length != 0 && IsOneFrameRequest(size, in c);
            if(oneFrame && TryTakeFromMagazine(c.Low, c.High, out destination[0]))
            {
                segmentCount = 1;
                return AllocationError.None;
            }
            // Kept apart so that the magazine case needs no stack frame of its own.
            return TryAllocateUncached(size, in c, destination, oneFrame, out segmentCount);
        }

        // One frame, as TryAllocate(page, Window(low, high)) without the span and the constraint
        // checks: the call a TLB-miss handler or a bounce-page pool makes (uvm_pagealloc beside
        // uvm_pglistalloc). frame is the whole frame: its length is its list's page size. Errors
        // as TryAllocate's (InvalidWindow, NoRangeInWindow, InsufficientMemory), nothing changed.
        public AllocationError TryAllocateFrame(ulong low, ulong high, out Segment frame)
        {
            if(TryTakeFromMagazine(low, high, out frame))
            {
                return AllocationError.None;
            }
            return TryAllocateFrameUncached(low, high, out frame);
        }

        // As TryAllocate, returning the segments in a new array and the message.
        public AllocationResult Allocate(ulong size, AllocationConstraints c)
        {
            return AllocateToResult(size, false, c);
        }

        // As Allocate, the size in pages of the serving list.
        public AllocationResult AllocatePages(long pages, AllocationConstraints c)
        {
            if(pages <= 0)
            {
                return new AllocationResult(Fail(AllocationError.InvalidSize, $"a request for {pages} pages is empty"), null, lastFailureMessage);
            }
            return AllocateToResult((ulong)pages, true, c);
        }

        // Returns exactly the segments one Allocate handed out (in any order). Errors, with the
        // allocator unchanged: NotAllocated when a segment was not handed out (never, or already
        // returned) or the segments are not all of one allocation; PartialFree when a segment is
        // part of a handed-out segment, or only some segments of an allocation are given.
        public AllocationError Free(ReadOnlySpan<Segment> segments)
        {
            if(segments.Length == 1)
            {
                var list = FindList(segments[0].Address);
                if(list != null && segments[0].Length == list.PageSize && TryFreeOneFrame(list, segments[0].Address))
                {
                    return AllocationError.None;
                }
            }
            return FreeChecked(segments);
        }

        // Free's full check. A frame in a magazine (head without tail) can never complete a
        // whole wired segment, so the check needs no drain to accept; a refused free is checked
        // again with the magazines drained, for the error to name the frames as free, and then
        // leaves them as they were.
        private AllocationError FreeChecked(ReadOnlySpan<Segment> segments)
        {
            var error = FreeFromBitmaps(segments);
            if(error != AllocationError.None && AnyMagazineFilled())
            {
                DrainMagazines();
                error = FreeFromBitmaps(segments);
                Debug.Assert(error != AllocationError.None, "a free refused with the magazines filled succeeded with them drained");
                EndDrains(restore: true);
            }
            return error;
        }

        private AllocationError FreeFromBitmaps(ReadOnlySpan<Segment> segments)
        {
            if(segments.Length == 0)
            {
                return Fail(AllocationError.NotAllocated, "no segments given");
            }
            if(segments.Length == 1)
            {
                // The common case, validated and applied in one pass over the lists.
                var error = CheckSegment(segments[0], out var partOfMulti, out var list);
                if(error != AllocationError.None)
                {
                    return error;
                }
                if(partOfMulti)
                {
                    var count = multiSegmentAllocations.TryGetValue(segments[0].Address, out var whole) ? whole.Length : 0;
                    return Fail(AllocationError.PartialFree, count > 0
                        ? $"{segments[0]} is one of the {count} segments of an allocation: free them all together"
                        : $"{segments[0]} is one segment of a multi-segment allocation: free them all together");
                }
                list.Unwire(list.FrameOf(segments[0].Address), (int)(segments[0].Length >> list.PageShift));
                list.CheckInvariants();
                return AllocationError.None;
            }
            var multiCount = 0;
            for(var i = 0; i < segments.Length; i++)
            {
                var error = CheckSegment(segments[i], out var partOfMulti, out _);
                if(error != AllocationError.None)
                {
                    return error;
                }
                multiCount += partOfMulti ? 1 : 0;
            }
            var wholeError = CheckWholeMultiSegment(segments, multiCount);
            if(wholeError != AllocationError.None)
            {
                return wholeError;
            }
            multiSegmentAllocations.Remove(LowestAddress(segments));
            for(var i = 0; i < segments.Length; i++)
            {
                var list = FindList(segments[i].Address);
                list.Unwire(list.FrameOf(segments[i].Address), (int)(segments[i].Length >> list.PageShift));
                list.CheckInvariants();
            }
            return AllocationError.None;
        }

        // Returns one single-frame allocation by its address: as Free of its one segment.
        public AllocationError FreeFrame(ulong address)
        {
            var list = FindList(address);
            if(list != null && TryFreeOneFrame(list, address))
            {
                return AllocationError.None;
            }
            return FreeChecked(new[] { new Segment(address, list?.PageSize ?? smallestPageSize) });
        }

        // One single-frame allocation of list, checked with one word of markers: the hottest free.
        // False, with nothing changed, for anything else (FreeChecked then says what it is).
        private static bool TryFreeOneFrame(FrameList list, ulong address)
        {
            var freed = (address & (list.PageSize - 1)) == 0 && list.TryFreeSingleFrame(list.FrameOf(address));
            list.CheckInvariants();
            return freed;
        }

        // As Free(span), with the message.
        public AllocationResult Free(Segment[] segments)
        {
            var error = Free(new ReadOnlySpan<Segment>(segments ?? Array.Empty<Segment>()));
            return new AllocationResult(error, null, error == AllocationError.None ? string.Empty : lastFailureMessage);
        }

        // ---- Pageable pages ------------------------------------------------------------------

        // Takes one pageable page of the given kind, put at the tail of its list's active queue,
        // unreferenced: the top frame of the list's magazine, else its lowest free frame. A cache
        // page at the cap reuses the cache's own oldest inactive page (aging cache pages if none is
        // inactive), never a program page. With no free frame anywhere, the oldest unreferenced
        // inactive page of any kind is evicted for it (second chance for the referenced). Fails
        // with UnknownRange or InsufficientMemory (nothing pageable left).
        public AllocationError TryAllocatePage(PageKind kind, out ulong address, string preferredRange = null)
        {
            address = 0;
            var preferred = -1;
            if(preferredRange != null && (preferred = IndexOfRange(preferredRange)) < 0)
            {
                return Fail(AllocationError.UnknownRange, $"no range is named '{preferredRange}'");
            }
            if(kind == PageKind.Cache && pager.CacheAtCap && pager.TryRecycleCachePage(out var owner, out var frame))
            {
                address = TakePage(owner, frame, kind);
                return AllocationError.None;
            }
            for(var i = -1; i < lists.Length; i++)
            {
                var list = CandidateList(i, preferred);
                if(list == null)
                {
                    continue;
                }
                // A frame in the magazine first: taking one is cheaper than draining them all.
                frame = list.Magazine.Count != 0 ? FrameMagazine.PopToBitmap(list) : list.Bitmap.FindFreeFrame(list.FirstFrame, list.EndFrame);
                if(frame >= 0)
                {
                    address = TakePage(list, frame, kind);
                    AdvanceRotor(list);
                    return AllocationError.None;
                }
            }
            // With the cap, memory pressure is paid by the cache first, as in the pager.
            if(pager.TryEvictForNewPage(out owner, out frame))
            {
                address = TakePage(owner, frame, kind);
                return AllocationError.None;
            }
            return Fail(AllocationError.InsufficientMemory, $"no free frame and no pageable page to reclaim for a {kind} page ({TotalPages} pages, all wired)");
        }

        // Marks a pageable page used since the pager last looked. False if address is no pageable page.
        public bool Reference(ulong address)
        {
            var list = FindList(address);
            if(list == null)
            {
                return false;
            }
            var frame = list.FrameOf(address);
            if(!list.Queues.IsQueued(frame))
            {
                return false;
            }
            list.Queues.SetReferenced(frame, true);
            return true;
        }

        // The owner gives a pageable page back (not an eviction). NotAPage if it is none.
        public AllocationError ReleasePage(ulong address)
        {
            var list = FindList(address);
            if(list == null || !list.Queues.IsQueued(list.FrameOf(address)))
            {
                return Fail(AllocationError.NotAPage, $"0x{address:X} is not a pageable page");
            }
            list.ReleasePage(list.FrameOf(address));
            list.CheckInvariants();
            return AllocationError.None;
        }

        public PageState GetPageState(ulong address)
        {
            var list = FindList(address);
            if(list == null)
            {
                return PageState.Outside;
            }
            var frame = list.FrameOf(address);
            if(list.Bitmap.IsFree(frame) || list.Magazine.Contains(frame))
            {
                return PageState.Free;
            }
            if(!list.Queues.IsQueued(frame))
            {
                return PageState.Wired;
            }
            return PageQueues.IsInactiveQueue(list.Queues.QueueOf(frame)) ? PageState.Inactive : PageState.Active;
        }

        // The kind of a pageable page; Program for anything else.
        public PageKind GetPageKind(ulong address)
        {
            var list = FindList(address);
            if(list == null || !list.Queues.IsQueued(list.FrameOf(address)))
            {
                return PageKind.Program;
            }
            return PageQueues.KindOf(list.Queues.QueueOf(list.FrameOf(address)));
        }

        // One pass over every list, in address order. Per list: while inactive pages are fewer
        // than its inactive target, the oldest active pages are scanned once each: referenced ones
        // lose the mark and go back to the tail (second chance), the others become inactive. Then,
        // while free frames are fewer than its free target, the oldest inactive pages are scanned
        // once each: referenced ones return to active, the others are evicted to free.
        public PagerPassResult RunPager()
        {
            return pager.RunPass();
        }

        // Sets a list's pager targets (pages). Throws ArgumentException for an unknown range or negative targets.
        public void SetPagerTargets(string range, long freeTarget, long inactiveTarget)
        {
            var index = IndexOfRange(range);
            if(index < 0)
            {
                throw new ArgumentException($"no range is named '{range}'", nameof(range));
            }
            if(freeTarget < 0 || inactiveTarget < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(freeTarget), "pager targets are page counts >= 0");
            }
            lists[index].FreeTarget = freeTarget;
            lists[index].InactiveTarget = inactiveTarget;
        }

        // ---- Observability -------------------------------------------------------------------

        // Null for an unknown range.
        public RangeStatistics GetStatistics(string range)
        {
            var index = IndexOfRange(range);
            return index < 0 ? null : Snapshot(lists[index]);
        }

        public IReadOnlyList<RangeStatistics> GetStatistics()
        {
            var result = new RangeStatistics[lists.Length];
            for(var i = 0; i < lists.Length; i++)
            {
                result[i] = Snapshot(lists[i]);
            }
            return result;
        }

        // One row per range, in address order, like FreeBSD's sysctl vm.phys_free.
        public string FormatStatistics()
        {
            var text = new StringBuilder();
            text.AppendLine($"{"RANGE",-8} {"START",18} {"END",18} {"PAGE",6} {"PAGES",9} {"FREE",9} {"WIRED",9} {"ACTIVE",9} {"INACTIVE",9} {"CACHE",9} {"ALLOCS",9} {"FAILS",7} {"RECLAIMS",9}");
            foreach(var s in GetStatistics())
            {
                text.AppendLine($"{s.Name,-8} {"0x" + s.Base.ToString("x"),18} {"0x" + (s.Base + s.Size).ToString("x"),18} {FormatSize(s.PageSize),6} {s.Pages,9} {s.Free,9} {s.Wired,9} {s.Active,9} {s.Inactive,9} {s.CachePages,9} {s.Allocations,9} {s.Failures,7} {s.Reclaims,9}");
            }
            text.Append($"buffer cache {CachePages} of {BufferCacheCapPages} pages allowed ({(BufferCacheCapPercent == NoCacheCap ? "no cap" : BufferCacheCapPercent + "% cap")}); evicted: {ProgramPagesEvicted} program, {CachePagesEvicted} cache");
            return text.ToString();
        }

        // ---- Internals -----------------------------------------------------------------------

        private AllocationResult AllocateToResult(ulong size, bool inPages, AllocationConstraints c)
        {
            // A result rarely has many segments: try a small buffer, and only when the request
            // allows more segments than that and did not fit, the full segment limit.
            if(!inPages && IsOneFrameRequest(size, in c) && TryAllocateOneFrame(in c, out var one))
            {
                return new AllocationResult(AllocationError.None, new[] { one }, string.Empty);
            }
            var limit = Math.Max(1, c.MaxSegments);
            var pagesAtMost = inPages ? size : size / smallestPageSize + 1;
            var full = (int)Math.Min((ulong)limit, Math.Min(pagesAtMost, (ulong)Math.Max(1, TotalPages)));
            var buffer = new Segment[Math.Min(full, SmallResult)];
            var error = AllocateCore(size, inPages, c, buffer, out var count, full <= buffer.Length);
            if(error == AllocationError.Fragmented && full > buffer.Length)
            {
                buffer = new Segment[full];
                error = AllocateCore(size, inPages, c, buffer, out count);
            }
            if(error != AllocationError.None)
            {
                return new AllocationResult(error, null, lastFailureMessage);
            }
            var segments = new Segment[count];
            Array.Copy(buffer, segments, count);
            return new AllocationResult(error, segments, string.Empty);
        }

        private AllocationError AllocateCore(ulong size, bool inPages, in AllocationConstraints c, Span<Segment> destination, out int segmentCount,
            bool countFailure = true)
        {
            // Searches see the bitmaps alone: a list's magazine is drained only when the list
            // cannot serve without it, and a failed call puts back every magazine it drained, so
            // the next single frame is the same as without the call.
            var error = AllocateFromBitmaps(size, inPages, c, destination, out segmentCount, countFailure);
            EndDrains(restore: error != AllocationError.None);
            return error;
        }

        private AllocationError AllocateFromBitmaps(ulong size, bool inPages, in AllocationConstraints c, Span<Segment> destination, out int segmentCount,
            bool countFailure)
        {
            segmentCount = 0;
            var error = Validate(size, inPages, c, destination.Length, out var preferred);
            if(error != AllocationError.None)
            {
                return error;
            }
            var maxSegments = Math.Min(c.MaxSegments, destination.Length);
            var tried = 0;
            for(var i = -1; i < lists.Length; i++)
            {
                var list = CandidateList(i, preferred);
                if(list == null || !list.WindowToFrames(c.Low, c.High, out var lowFrame, out var highFrame))
                {
                    continue;
                }
                tried++;
                if(c.Boundary != 0 && c.Boundary < list.PageSize || c.MaxSegmentSize != 0 && c.MaxSegmentSize < list.PageSize)
                {
                    // Only with mixed page sizes: this list's pages are too big for the limits.
                    continue;
                }
                var pages = PagesFor(size, inPages, list);
                if(pages > (ulong)(highFrame - lowFrame) || pages > (ulong)list.FreeCount)
                {
                    continue;
                }
                var n = (int)pages;
                var alignFrames = (long)Math.Max(1, c.Alignment >> list.PageShift);
                var boundaryFrames = (long)(c.Boundary >> list.PageShift);
                var maxSegmentFrames = (long)(c.MaxSegmentSize >> list.PageShift);
                var served = TryAllocateFromList(list, lowFrame, highFrame, n, alignFrames, boundaryFrames, maxSegmentFrames, maxSegments, destination, out segmentCount);
                if(!served && list.Magazine.Count != 0)
                {
                    DrainMagazine(list);
                    served = TryAllocateFromList(list, lowFrame, highFrame, n, alignFrames, boundaryFrames, maxSegmentFrames, maxSegments, destination, out segmentCount);
                }
                if(served)
                {
                    list.Allocations++;
                    AdvanceRotor(list);
                    list.CheckInvariants();
                    PlacementCheck.Verify(list, destination.Slice(0, segmentCount), pages, in c, maxSegments);
                    return AllocationError.None;
                }
            }
            if(tried == 0)
            {
                return Fail(AllocationError.NoRangeInWindow, $"no range holds a whole page in window [0x{c.Low:X}, 0x{c.High:X})");
            }
            // The report counts the frames in magazines as the free frames they are.
            DrainMagazines();
            return ClassifyFailure(size, inPages, c, preferred, countFailure);
        }

        // One frame, no alignment beyond a page, no limit a page could break, no preferred list:
        // a request TryAllocateOneFrame serves exactly as AllocateCore would.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool IsOneFrameRequest(ulong size, in AllocationConstraints c)
        {
            return size - 1 < smallestPageSize && c.PreferredRange == null && c.MaxSegments >= 1 && c.Low < c.High
                && c.Alignment <= smallestPageSize && (c.Alignment & (c.Alignment - 1)) == 0
                && (c.Boundary == 0 || (c.Boundary >= largestPageSize && (c.Boundary & (c.Boundary - 1)) == 0))
                && (c.MaxSegmentSize == 0 || c.MaxSegmentSize >= largestPageSize);
        }

        // The frame on top of the first candidate list's magazine, if the window covers that list:
        // the frame TryAllocateOneFrame would hand out, without its loop. False, nothing changed, else.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryTakeFromMagazine(ulong low, ulong high, out Segment segment)
        {
            var list = firstCandidate;
            if(list.Magazine.Count == 0 || low > list.Start || high < list.End)
            {
                segment = default;
                return false;
            }
            segment = HandOut(list, list.TakeFromMagazine());
            PlacementCheck.VerifyFrame(list, segment, AllocationConstraints.Window(low, high));
            return true;
        }

        // The bookkeeping of a single frame list has just wired, and the segment for the caller.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Segment HandOut(FrameList list, int frame)
        {
            list.Allocations++;
            AdvanceRotor(list);
            list.CheckInvariants();
            return new Segment(list.AddressOf(frame), list.PageSize);
        }

        private AllocationError TryAllocateUncached(ulong size, in AllocationConstraints c, Span<Segment> destination, bool oneFrame, out int segmentCount)
        {
            if(oneFrame && TryAllocateOneFrame(in c, out destination[0]))
            {
                segmentCount = 1;
                return AllocationError.None;
            }
            return AllocateCore(size, false, c, destination, out segmentCount);
        }

        private AllocationError TryAllocateFrameUncached(ulong low, ulong high, out Segment frame)
        {
            var c = AllocationConstraints.Window(low, high);
            if(low < high && TryAllocateOneFrame(in c, out frame))
            {
                return AllocationError.None;
            }
            // The failure, reported and counted as TryAllocate reports it.
            Span<Segment> one = stackalloc Segment[1];
            var error = AllocateCore(smallestPageSize, false, c, one, out _);
            frame = error == AllocationError.None ? one[0] : default;
            return error;
        }

        // A request IsOneFrameRequest accepts, served with a few dozen instructions (AllocateCore's
        // frame alone costs more): from the first list in policy order with a free frame in the
        // window, as AllocateCore would choose. A list the window covers serves from its magazine
        // (refilled when empty); a list it covers in part drains its magazine and serves its lowest
        // free frame in the window (putting the magazine back when it finds none). False, with
        // nothing changed, when no list has a free frame in the window: AllocateCore then reports why.
        private bool TryAllocateOneFrame(in AllocationConstraints c, out Segment segment)
        {
            var lists = this.lists;
            for(var i = 0; i < lists.Length; i++)
            {
                var list = CandidateList(i, -1);
                int frame;
                if(c.Low <= list.Start && c.High >= list.End)
                {
                    if(list.Magazine.Count == 0 && !FrameMagazine.TryRefill(list))
                    {
                        continue;
                    }
                    frame = list.TakeFromMagazine();
                }
                else
                {
                    var drained = FrameMagazine.Drain(list);
                    if(!list.WindowToFrames(c.Low, c.High, out var lowFrame, out var highFrame) || (frame = list.Bitmap.FindFreeFrame(lowFrame, highFrame)) < 0)
                    {
                        FrameMagazine.Restore(list, drained);
                        continue;
                    }
                    list.WireOne(frame);
                }
                segment = HandOut(list, frame);
                PlacementCheck.VerifyFrame(list, segment, in c);
                return true;
            }
            segment = default;
            return false;
        }

        // Pages of list a request of size (bytes, or pages) needs; rounding up cannot overflow.
        private static ulong PagesFor(ulong size, bool inPages, FrameList list)
        {
            return inPages ? size : (size >> list.PageShift) + ((size & (list.PageSize - 1)) != 0 ? 1UL : 0UL);
        }

        private bool TryAllocateFromList(FrameList list, int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames,
            long maxSegmentFrames, int maxSegments, Span<Segment> destination, out int segmentCount)
        {
            var count = ListPlacement.PlaceAndWire(list, lowFrame, highFrame, n, alignFrames, boundaryFrames, maxSegmentFrames, maxSegments, destination);
            if(count < 0)
            {
                segmentCount = 0;
                return false;
            }
            if(count > 1)
            {
                multiSegmentAllocations[destination[0].Address] = destination.Slice(0, count).ToArray();
            }
            segmentCount = count;
            return true;
        }

        private AllocationError Validate(ulong size, bool inPages, in AllocationConstraints c, int destinationLength, out int preferred)
        {
            preferred = -1;
            if(size == 0)
            {
                return Fail(AllocationError.InvalidSize, "a request for 0 bytes is empty");
            }
            // A page count is weighed in the smallest page any list has: the weakest claim the request makes.
            var bytes = inPages ? (size > ulong.MaxValue / smallestPageSize ? ulong.MaxValue : size * smallestPageSize) : size;
            if(c.Alignment != 0 && (c.Alignment & (c.Alignment - 1)) != 0)
            {
                return Fail(AllocationError.InvalidAlignment, $"alignment 0x{c.Alignment:X} is not a power of two");
            }
            if(c.Boundary != 0)
            {
                if((c.Boundary & (c.Boundary - 1)) != 0)
                {
                    return Fail(AllocationError.InvalidBoundary, $"boundary 0x{c.Boundary:X} is not a power of two");
                }
                if(c.Boundary < smallestPageSize)
                {
                    return Fail(AllocationError.InvalidBoundary, $"boundary 0x{c.Boundary:X} is smaller than a page (0x{smallestPageSize:X})");
                }
                if(c.MaxSegments == 1 && c.Boundary < bytes)
                {
                    return Fail(AllocationError.InvalidBoundary, $"boundary 0x{c.Boundary:X} is smaller than the contiguous request of 0x{bytes:X} bytes");
                }
            }
            if(c.Low >= c.High)
            {
                return Fail(AllocationError.InvalidWindow, $"window [0x{c.Low:X}, 0x{c.High:X}) is empty");
            }
            if(c.High - c.Low < bytes)
            {
                return Fail(AllocationError.InvalidWindow, $"window [0x{c.Low:X}, 0x{c.High:X}) is narrower than the request of 0x{bytes:X} bytes");
            }
            if(c.MaxSegments < 1 || destinationLength < 1)
            {
                return Fail(AllocationError.InvalidSegmentLimits, $"at most {Math.Min(c.MaxSegments, destinationLength)} segments allowed: need at least 1");
            }
            if(c.MaxSegmentSize != 0 && c.MaxSegmentSize < smallestPageSize)
            {
                return Fail(AllocationError.InvalidSegmentLimits, $"maximum segment size 0x{c.MaxSegmentSize:X} is smaller than a page (0x{smallestPageSize:X})");
            }
            if(c.MaxSegmentSize != 0 && (ulong)c.MaxSegments < bytes / c.MaxSegmentSize + (bytes % c.MaxSegmentSize != 0 ? 1UL : 0UL))
            {
                return Fail(AllocationError.InvalidSegmentLimits, $"0x{bytes:X} bytes cannot fit in {c.MaxSegments} segments of at most 0x{c.MaxSegmentSize:X} bytes");
            }
            if(c.PreferredRange != null && (preferred = IndexOfRange(c.PreferredRange)) < 0)
            {
                return Fail(AllocationError.UnknownRange, $"no range is named '{c.PreferredRange}'");
            }
            return AllocationError.None;
        }

        private AllocationError ClassifyFailure(ulong size, bool inPages, in AllocationConstraints c, int preferred, bool countFailure)
        {
            var report = new StringBuilder();
            var enough = false;
            for(var i = -1; i < lists.Length; i++)
            {
                var list = CandidateList(i, preferred);
                if(list == null || !list.WindowToFrames(c.Low, c.High, out var lowFrame, out var highFrame))
                {
                    continue;
                }
                if(countFailure)
                {
                    list.Failures++;
                }
                var pages = PagesFor(size, inPages, list);
                var freeInWindow = list.Bitmap.CountFree(lowFrame, highFrame);
                enough |= (ulong)freeInWindow >= pages;
                report.Append(report.Length == 0 ? string.Empty : ", ").Append($"{list.Range.Name} {freeInWindow} of {pages} needed");
            }
            var request = inPages ? $"{size} pages" : $"0x{size:X} bytes";
            return enough
                ? Fail(AllocationError.Fragmented, $"{request} ({c}): enough free frames but not within {c.MaxSegments} segment(s) under the constraints; free in window: {report}")
                : Fail(AllocationError.InsufficientMemory, $"{request} ({c}): not enough free frames in any one list; free in window: {report}");
        }

        private AllocationError CheckSegment(Segment segment, out bool partOfMulti, out FrameList list)
        {
            partOfMulti = false;
            list = FindList(segment.Address);
            if(list == null || segment.Length == 0 || (segment.Address & (list.PageSize - 1)) != 0 || (segment.Length & (list.PageSize - 1)) != 0
                || segment.Length > list.End - segment.Address)
            {
                return Fail(AllocationError.NotAllocated, $"{segment} is not a page-aligned run of frames inside one range");
            }
            var error = list.CheckWiredSegment(list.FrameOf(segment.Address), (int)(segment.Length >> list.PageShift), out partOfMulti);
            if(error == AllocationError.NotAllocated)
            {
                return Fail(error, $"{segment} holds frames that are not allocated (free, pageable, or already returned)");
            }
            if(error == AllocationError.PartialFree)
            {
                return Fail(error, $"{segment} is not a whole allocated segment: free exactly what Allocate returned");
            }
            return AllocationError.None;
        }

        private AllocationError CheckWholeMultiSegment(ReadOnlySpan<Segment> segments, int multiCount)
        {
            var lowest = LowestAddress(segments);
            if(multiCount != segments.Length || !multiSegmentAllocations.TryGetValue(lowest, out var whole))
            {
                return Fail(multiCount == 0 ? AllocationError.NotAllocated : AllocationError.PartialFree,
                    $"the {segments.Length} segments given are not one allocation: free each allocation with exactly its own segments");
            }
            if(whole.Length != segments.Length)
            {
                return Fail(AllocationError.PartialFree, $"the allocation at 0x{lowest:X} has {whole.Length} segments; {segments.Length} given");
            }
            foreach(var segment in segments)
            {
                if(Array.IndexOf(whole, segment) < 0)
                {
                    return Fail(AllocationError.PartialFree, $"{segment} is not a segment of the allocation at 0x{lowest:X}");
                }
            }
            for(var i = 0; i < segments.Length; i++)
            {
                for(var j = i + 1; j < segments.Length; j++)
                {
                    if(segments[i] == segments[j])
                    {
                        return Fail(AllocationError.PartialFree, $"{segments[i]} is given twice");
                    }
                }
            }
            return AllocationError.None;
        }

        private static ulong LowestAddress(ReadOnlySpan<Segment> segments)
        {
            var lowest = ulong.MaxValue;
            foreach(var segment in segments)
            {
                lowest = Math.Min(lowest, segment.Address);
            }
            return lowest;
        }

        // i = -1 is the preferred list; 0.. walk the policy order, skipping the preferred one.
        private FrameList CandidateList(int i, int preferred)
        {
            if(i < 0)
            {
                return preferred >= 0 ? lists[preferred] : null;
            }
            var index = Policy == ListPolicy.RoundRobin ? (rotor + i) % lists.Length : lists.Length - 1 - i;
            return index == preferred ? null : lists[index];
        }

        // Round robin over the lists that can serve: the next request starts after the list that
        // served this one, so lists outside a request's window do not skew the rotation.
        private void AdvanceRotor(FrameList served)
        {
            if(Policy == ListPolicy.RoundRobin)
            {
                rotor = (served.Index + 1) % lists.Length;
                firstCandidate = lists[rotor];
            }
        }

        // A free frame of owner taken as a pageable page of kind.
        private ulong TakePage(FrameList owner, int frame, PageKind kind)
        {
            owner.MakePage(frame, kind, pager.NextStamp());
            owner.Allocations++;
            return owner.AddressOf(frame);
        }

        // Magazines back to the bitmaps, remembered for EndDrains.
        private void DrainMagazines()
        {
            foreach(var list in lists)
            {
                DrainMagazine(list);
            }
        }

        private void DrainMagazine(FrameList list)
        {
            drainedCounts[list.Index] += FrameMagazine.Drain(list);
        }

        private bool AnyMagazineFilled()
        {
            foreach(var list in lists)
            {
                if(list.Magazine.Count != 0)
                {
                    return true;
                }
            }
            return false;
        }

        // Ends a call's drains: a call that failed, and so changed no frame since, puts the
        // drained frames back (restore); one that succeeded may have handed them out.
        private void EndDrains(bool restore)
        {
            for(var i = 0; i < lists.Length; i++)
            {
                if(restore && drainedCounts[i] != 0)
                {
                    FrameMagazine.Restore(lists[i], drainedCounts[i]);
                }
                drainedCounts[i] = 0;
            }
        }

        // The list whose range holds address, or null. From the top: the default policy serves
        // most frames from the highest list.
        private FrameList FindList(ulong address)
        {
            var top = topList;
            if(address >= top.Start)
            {
                return address < top.End ? top : null;
            }
            var lists = this.lists;
            for(var i = lists.Length - 2; i >= 0; i--)
            {
                if(address >= lists[i].Start)
                {
                    return address < lists[i].End ? lists[i] : null;
                }
            }
            return null;
        }

        private int IndexOfRange(string name)
        {
            for(var i = 0; i < lists.Length; i++)
            {
                if(lists[i].Range.Name == name)
                {
                    return i;
                }
            }
            return -1;
        }

        private AllocationError Fail(AllocationError error, string message)
        {
            lastFailureMessage = message;
            return error;
        }

        private static RangeStatistics Snapshot(FrameList list)
        {
            return new RangeStatistics
            {
                Name = list.Range.Name,
                Base = list.Range.Base,
                Size = list.Range.Size,
                PageSize = list.PageSize,
                Pages = list.Pages,
                Free = list.FreeCount,
                Wired = list.WiredCount,
                Active = list.Queues.ActiveCount,
                Inactive = list.Queues.InactiveCount,
                CachePages = list.Queues.CacheCount,
                Allocations = list.Allocations,
                Failures = list.Failures,
                Reclaims = list.Reclaims,
                FreeTarget = list.FreeTarget,
                InactiveTarget = list.InactiveTarget
            };
        }

        private static string FormatSize(ulong bytes)
        {
            return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20}M" : bytes % 1024 == 0 ? $"{bytes >> 10}K" : bytes.ToString();
        }

        private static void ValidateRanges(List<BusRange> ranges)
        {
            foreach(var range in ranges)
            {
                if(range == null || string.IsNullOrEmpty(range.Name))
                {
                    throw new ArgumentException("every range needs a name", nameof(ranges));
                }
                if(range.PageSize < MinPageSize || range.PageSize > MaxPageSize || (range.PageSize & (range.PageSize - 1)) != 0)
                {
                    throw new ArgumentException($"range {range}: page size must be a power of two from 0x{MinPageSize:X} to 0x{MaxPageSize:X}", nameof(ranges));
                }
                if(range.Size == 0 || range.Base % range.PageSize != 0 || range.Size % range.PageSize != 0 || range.Size > ulong.MaxValue - range.Base)
                {
                    throw new ArgumentException($"range {range} is misaligned: base and size must be non-zero multiples of its page size inside the address space", nameof(ranges));
                }
            }
            for(var i = 0; i < ranges.Count; i++)
            {
                for(var j = i + 1; j < ranges.Count; j++)
                {
                    if(ranges[i].Name == ranges[j].Name)
                    {
                        throw new ArgumentException($"ranges {ranges[i]} and {ranges[j]} have the same name", nameof(ranges));
                    }
                    if(ranges[i].Base < ranges[j].End && ranges[j].Base < ranges[i].End)
                    {
                        throw new ArgumentException($"ranges {ranges[i]} and {ranges[j]} overlap", nameof(ranges));
                    }
                }
            }
        }

        private const ulong MinPageSize = 512;
        private const int SmallResult = 64;
        private const ulong MaxPageSize = 1UL << 30;

        private readonly FrameList[] lists;
        private readonly ulong smallestPageSize;
        private readonly ulong largestPageSize;
        private readonly IReadOnlyList<BusRange> rangeView;
        private readonly Dictionary<ulong, Segment[]> multiSegmentAllocations;
        private int rotor;
        // CandidateList(0, -1), kept for the single-frame fast path.
        private FrameList firstCandidate;
        // Per list, the frames the running call drained from its magazine, for EndDrains.
        private readonly int[] drainedCounts;
        private readonly FrameList topList;
        private readonly Pager pager;
        private string lastFailureMessage;
    }
}
