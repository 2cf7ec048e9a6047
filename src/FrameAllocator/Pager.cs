namespace RenodeFrameAlloc.Frames
{
    // The page daemon of a FrameAllocator, as FreeBSD's vm_pageout: ages and reclaims the lists'
    // pageable pages, and enforces the buffer-cache cap. It keeps the clock that stamps every
    // queue move, so "oldest" is comparable across lists.
    //
    // With the cap (capped), the buffer cache is a partition of at most cacheCapPages pages that
    // pays for memory pressure first: at the cap a new cache page is the cache's own oldest page,
    // and the pager and page allocation evict cache pages before they weigh program pages, so a
    // file copy of any size cannot push a program's working set out. Without it all pageable
    // pages are one LRU.
    internal sealed class Pager
    {
        public Pager(FrameList[] lists, bool capped, long cacheCapPages)
        {
            this.lists = lists;
            this.capped = capped;
            this.cacheCapPages = cacheCapPages;
        }

        public long ProgramPagesEvicted => programPagesEvicted;
        public long CachePagesEvicted => cachePagesEvicted;

        public long CachePages
        {
            get
            {
                long total = 0;
                foreach(var list in lists)
                {
                    total += list.Queues.CacheCount;
                }
                return total;
            }
        }

        public bool CacheAtCap => CachePages >= cacheCapPages;

        // The stamp of a page queued now: later than every stamp before it.
        public long NextStamp()
        {
            return ++tick;
        }

        // One pass over every list, in address order. Per list: while inactive pages are fewer
        // than its inactive target, the oldest active pages are scanned once each: referenced ones
        // lose the mark and go back to the tail (second chance), the others become inactive. Then,
        // while free frames are fewer than its free target, the oldest inactive pages are scanned
        // once each (ReclaimCandidate): referenced ones return to active, the others are evicted.
        public PagerPassResult RunPass()
        {
            long scanned = 0, deactivated = 0, reactivated = 0, reclaimed = 0;
            foreach(var list in lists)
            {
                var queues = list.Queues;
                // Pages this pass has already looked at carry later stamps.
                var passStart = tick;
                var deficit = list.InactiveTarget - queues.InactiveCount;
                for(var budget = queues.ActiveCount; deficit > 0 && budget > 0; budget--)
                {
                    var frame = OldestHead(list, false, null);
                    scanned++;
                    var kind = PageQueues.KindOf(queues.QueueOf(frame));
                    if(queues.IsReferenced(frame))
                    {
                        queues.SetReferenced(frame, false);
                        queues.Requeue(frame, PageQueues.Queue(kind, false), ++tick);
                    }
                    else
                    {
                        queues.Requeue(frame, PageQueues.Queue(kind, true), ++tick);
                        deactivated++;
                        deficit--;
                    }
                }
                for(var budget = 2 * (queues.InactiveCount + queues.CacheCount) + 1; list.FreeCount < list.FreeTarget && budget > 0; budget--)
                {
                    var frame = ReclaimCandidate(list, passStart, ref deactivated);
                    if(frame < 0)
                    {
                        break;
                    }
                    scanned++;
                    if(queues.IsReferenced(frame))
                    {
                        queues.SetReferenced(frame, false);
                        queues.Requeue(frame, PageQueues.Queue(PageQueues.KindOf(queues.QueueOf(frame)), false), ++tick);
                        reactivated++;
                    }
                    else
                    {
                        Evict(list, frame);
                        reclaimed++;
                    }
                }
                list.CheckInvariants();
            }
            return new PagerPassResult(scanned, deactivated, reactivated, reclaimed);
        }

        // A frame for a new page when no list has a free one: the oldest unreferenced inactive
        // page evicted, from the cache first with the cap. Returns the list and the now free frame.
        public bool TryEvictForNewPage(out FrameList owner, out int frame)
        {
            return (capped && EvictOldest(PageKind.Cache, out owner, out frame)) || EvictOldest(null, out owner, out frame);
        }

        // At the cap, a new cache page is the cache's own oldest page, evicted for reuse in place.
        public bool TryRecycleCachePage(out FrameList owner, out int frame)
        {
            return EvictOldest(PageKind.Cache, out owner, out frame);
        }

        // The next inactive page the pager weighs for eviction in list, or -1. Without a cap: the
        // oldest of either kind, one LRU for all. With the cap the cache pays first: its inactive
        // pages go first, its active ones not yet looked at in this pass (stamp <= passStart: a
        // page keeps its second chance for the whole pass) are aged to feed them, and program
        // pages are weighed only when the list holds no cache page at all.
        private int ReclaimCandidate(FrameList list, long passStart, ref long deactivated)
        {
            var queues = list.Queues;
            if(!capped)
            {
                return OldestHead(list, true, null);
            }
            if(queues.CacheCount == 0)
            {
                return queues.First(PageQueues.Queue(PageKind.Program, true));
            }
            var cacheInactive = PageQueues.Queue(PageKind.Cache, true);
            var cacheActive = PageQueues.Queue(PageKind.Cache, false);
            while(queues.Length(cacheInactive) == 0 && queues.Length(cacheActive) > 0 && queues.Stamp(queues.First(cacheActive)) <= passStart)
            {
                var frame = queues.First(cacheActive);
                var referenced = queues.IsReferenced(frame);
                queues.SetReferenced(frame, false);
                queues.Requeue(frame, referenced ? cacheActive : cacheInactive, ++tick);
                deactivated += referenced ? 0 : 1;
            }
            return queues.First(cacheInactive);
        }

        // The oldest head of list's active (or inactive) queues, restricted to one kind if given.
        private static int OldestHead(FrameList list, bool inactive, PageKind? kind)
        {
            var queues = list.Queues;
            var program = kind == PageKind.Cache ? -1 : queues.First(PageQueues.Queue(PageKind.Program, inactive));
            var cache = kind == PageKind.Program ? -1 : queues.First(PageQueues.Queue(PageKind.Cache, inactive));
            if(program < 0)
            {
                return cache;
            }
            if(cache < 0)
            {
                return program;
            }
            return queues.Stamp(program) <= queues.Stamp(cache) ? program : cache;
        }

        // Evicts the oldest unreferenced inactive page of any list (restricted to one kind when
        // kind is given), giving referenced ones a second chance and aging active pages when no
        // inactive one is left. Returns the list and the now free frame.
        private bool EvictOldest(PageKind? kind, out FrameList owner, out int frame)
        {
            long queued = 0;
            foreach(var list in lists)
            {
                queued += kind == PageKind.Cache ? list.Queues.CacheCount : list.Queues.ActiveCount + list.Queues.InactiveCount;
            }
            // Each page is looked at most twice as inactive and once as active before one is evicted.
            for(var budget = 3 * queued + 1; budget > 0; budget--)
            {
                owner = null;
                frame = -1;
                foreach(var list in lists)
                {
                    var candidate = OldestHead(list, true, kind);
                    if(candidate >= 0 && (frame < 0 || list.Queues.Stamp(candidate) < owner.Queues.Stamp(frame)))
                    {
                        owner = list;
                        frame = candidate;
                    }
                }
                if(frame < 0)
                {
                    if(!DeactivateOldest(kind))
                    {
                        return false;
                    }
                    continue;
                }
                var queues = owner.Queues;
                if(queues.IsReferenced(frame))
                {
                    queues.SetReferenced(frame, false);
                    queues.Requeue(frame, PageQueues.Queue(PageQueues.KindOf(queues.QueueOf(frame)), false), ++tick);
                    continue;
                }
                Evict(owner, frame);
                return true;
            }
            owner = null;
            frame = -1;
            return false;
        }

        private bool DeactivateOldest(PageKind? kind)
        {
            FrameList owner = null;
            var frame = -1;
            foreach(var list in lists)
            {
                var candidate = OldestHead(list, false, kind);
                if(candidate >= 0 && (frame < 0 || list.Queues.Stamp(candidate) < owner.Queues.Stamp(frame)))
                {
                    owner = list;
                    frame = candidate;
                }
            }
            if(frame < 0)
            {
                return false;
            }
            var queues = owner.Queues;
            var pageKind = PageQueues.KindOf(queues.QueueOf(frame));
            var referenced = queues.IsReferenced(frame);
            queues.SetReferenced(frame, false);
            queues.Requeue(frame, PageQueues.Queue(pageKind, !referenced), ++tick);
            return true;
        }

        private void Evict(FrameList list, int frame)
        {
            var kind = PageQueues.KindOf(list.Queues.QueueOf(frame));
            list.ReleasePage(frame);
            list.Reclaims++;
            if(kind == PageKind.Program)
            {
                programPagesEvicted++;
            }
            else
            {
                cachePagesEvicted++;
            }
        }

        private readonly FrameList[] lists;
        private readonly bool capped;
        private readonly long cacheCapPages;
        private long tick;
        private long programPagesEvicted;
        private long cachePagesEvicted;
    }
}
