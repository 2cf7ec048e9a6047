using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;

namespace RenodeFrameAlloc.Frames
{
    // The segregated list of one bus range: which frames are free, which are wired and where each
    // wired segment starts and ends, and the range's pageable pages on their active and inactive
    // queues (kept apart by PageKind).
    //
    // Frames are indexed locally from BitmapBase, the range's first absolute frame number rounded
    // down to a multiple of 64, so bit p of any word has the same residue modulo every power of
    // two up to 64 as the absolute frame number: alignment and boundary masks need no shifting.
    // Local frames before the range's first frame and after its last are never free.
    //
    // Per frame, four bits are always held (free, head, tail, multi: half a byte). Queue links of
    // pageable pages live in chunks that exist only while a page of theirs is queued.
    internal sealed class FrameList
    {
        public FrameList(BusRange range, int index)
        {
            Range = range;
            Index = index;
            Start = range.Base;
            End = range.End;
            PageSize = range.PageSize;
            PageShift = BitOperations.TrailingZeroCount(range.PageSize);
            var firstAbsolute = range.Base >> PageShift;
            BitmapBase = firstAbsolute & ~63UL;
            FirstFrame = (int)(firstAbsolute - BitmapBase);
            Pages = (long)(range.Size >> PageShift);
            if(FirstFrame + Pages > int.MaxValue - 128)
            {
                throw new ArgumentException($"range {range} has too many pages for one list");
            }
            EndFrame = FirstFrame + (int)Pages;
            var words = (EndFrame + 63) >> 6;
            free = new ulong[words];
            head = new ulong[words];
            tail = new ulong[words];
            multi = new ulong[words];
            orderMask = new byte[words];
            dirtyWords = new ulong[(words + 63) >> 6];
            dirtyStack = new int[Math.Min(words, DirtyStackSize)];
            magazine = new int[MagazineSize];
            orderTrees = new BitTree[Orders];
            for(var k = 0; k < Orders; k++)
            {
                orderTrees[k] = new BitTree(words);
            }
            for(var f = FirstFrame; f < EndFrame;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), EndFrame - f);
                free[w] |= (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                f += bits;
            }
            for(var w = 0; w < words; w++)
            {
                UpdateOrders(w);
            }
            FreeCount = Pages;
            var chunkCount = (EndFrame + ChunkSize - 1) >> ChunkShift;
            nextLinks = new int[chunkCount][];
            previousLinks = new int[chunkCount][];
            pageFlags = new byte[chunkCount][];
            pageStamps = new long[chunkCount][];
            chunkPages = new int[chunkCount];
            queueHead = new int[QueueCount];
            queueTail = new int[QueueCount];
            QueueLength = new long[QueueCount];
            for(var q = 0; q < QueueCount; q++)
            {
                queueHead[q] = -1;
                queueTail[q] = -1;
            }
            FreeTarget = Math.Max(4, Pages / 32);
            InactiveTarget = Math.Max(8, Pages / 8);
            CheckInvariants();
        }

        public BusRange Range { get; }
        public int Index { get; }
        public int PageShift { get; }
        // Copies of the range's bounds: read on every allocation and free.
        public readonly ulong Start;
        public readonly ulong End;
        public readonly ulong PageSize;
        public ulong BitmapBase { get; }
        public int FirstFrame { get; }
        public int EndFrame { get; }
        public long Pages { get; }

        public long FreeCount;
        public long Allocations;
        public long Failures;
        public long Reclaims;
        public long FreeTarget;
        public long InactiveTarget;
        public readonly long[] QueueLength;

        // Every frame is free, wired or a queued page: wired is what is left, so the hot paths
        // keep one counter, not two.
        public long WiredCount => Pages - FreeCount - QueueLength[0] - QueueLength[1] - QueueLength[2] - QueueLength[3];
        public long ActiveCount => QueueLength[Queue(PageKind.Program, false)] + QueueLength[Queue(PageKind.Cache, false)];
        public long InactiveCount => QueueLength[Queue(PageKind.Program, true)] + QueueLength[Queue(PageKind.Cache, true)];
        public long CacheCount => QueueLength[Queue(PageKind.Cache, false)] + QueueLength[Queue(PageKind.Cache, true)];

        public long MetadataBytes
        {
            get
            {
                long bytes = (free.Length + head.Length + tail.Length + multi.Length + dirtyWords.Length) * (long)sizeof(ulong)
                    + orderMask.Length + (dirtyStack.Length + magazine.Length) * (long)sizeof(int);
                foreach(var tree in orderTrees)
                {
                    bytes += tree.MemoryBytes;
                }
                for(var c = 0; c < nextLinks.Length; c++)
                {
                    if(nextLinks[c] != null)
                    {
                        bytes += ChunkSize * (2L * sizeof(int) + sizeof(byte) + sizeof(long));
                    }
                }
                return bytes;
            }
        }

        public ulong AddressOf(int frame)
        {
            return (BitmapBase + (ulong)frame) << PageShift;
        }

        // Local frame of an address inside the range (callers check Range.Contains).
        public int FrameOf(ulong address)
        {
            return (int)((address >> PageShift) - BitmapBase);
        }

        // Converts a byte window to local frames [low, high): the frames lying wholly inside it.
        public bool WindowToFrames(ulong low, ulong high, out int lowFrame, out int highFrame)
        {
            var start = Math.Max(low, Start);
            var end = Math.Min(high, End);
            lowFrame = 0;
            highFrame = 0;
            if(start >= end)
            {
                return false;
            }
            var first = (start + PageSize - 1) >> PageShift;
            var last = end >> PageShift;
            if(first >= last)
            {
                return false;
            }
            lowFrame = (int)(first - BitmapBase);
            highFrame = (int)(last - BitmapBase);
            return true;
        }

        public bool Contains(ulong address)
        {
            return address >= Start && address < End;
        }

        public bool IsFree(int frame)
        {
            return (free[frame >> 6] & (1UL << frame)) != 0;
        }

        public long CountFree(int lowFrame, int highFrame)
        {
            long count = 0;
            for(var f = lowFrame; f < highFrame;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), highFrame - f);
                var mask = (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                count += BitOperations.PopCount(free[w] & mask);
                f += bits;
            }
            return count;
        }

        // ---- Searching -------------------------------------------------------------------------

        // The lowest free frame in [lowFrame, highFrame), or -1.
        public int FindFreeFrame(int lowFrame, int highFrame)
        {
            var w = lowFrame >> 6;
            var word = free[w] & (~0UL << (lowFrame & 63));
            if(word == 0)
            {
                w = orderTrees[0].FindNext(w + 1);
                if(w < 0)
                {
                    return -1;
                }
                word = free[w];
            }
            var frame = (w << 6) + BitOperations.TrailingZeroCount(word);
            return frame < highFrame ? frame : -1;
        }

        // A start s in [lowFrame, highFrame - n] with frames [s, s + n) free, s aligned to
        // alignFrames and the run inside one boundaryFrames block (0 = no boundary), or -1.
        // The caller guarantees n >= 1, powers of two, and boundaryFrames == 0 or >= n.
        public int FindRun(int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames)
        {
            if(n == 1 && alignFrames == 1)
            {
                return FindFreeFrame(lowFrame, highFrame);
            }
            if((long)highFrame - lowFrame < n)
            {
                return -1;
            }
            RefreshOrders();
            return n <= 64 ? FindShortRun(lowFrame, highFrame, n, alignFrames, boundaryFrames)
                           : FindLongRun(lowFrame, highFrame, n, alignFrames, boundaryFrames);
        }

        // Runs of up to 64 frames: every run of n frames starting aligned contains a free aligned
        // block of order FilterOrder, so only words the order summary names are looked at, and
        // in each, all candidate starts are tested at once with word-wide masks.
        private int FindShortRun(int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames)
        {
            var order = FilterOrder(n, alignFrames);
            var tree = orderTrees[order];
            var lastStart = highFrame - n;
            var firstWord = lowFrame >> 6;
            var lastWord = lastStart >> 6;
            var evaluatedUpTo = firstWord - 1;
            var candidate = tree.FindNext(firstWord);
            while(candidate >= 0 && candidate <= lastWord + 1)
            {
                // A run holding the block in word `candidate` starts in this word or the one before.
                var from = Math.Max(evaluatedUpTo + 1, Math.Max(firstWord, candidate - 1));
                var to = Math.Min(candidate, lastWord);
                for(var w = from; w <= to; w++)
                {
                    var starts = RunStarts(w, n) & AlignMask(w, alignFrames) & BoundaryMask(w, n, boundaryFrames);
                    if(w == firstWord)
                    {
                        starts &= ~0UL << (lowFrame & 63);
                    }
                    if(w == lastWord)
                    {
                        starts &= (lastStart & 63) == 63 ? ~0UL : ((1UL << ((lastStart & 63) + 1)) - 1);
                    }
                    if(starts != 0)
                    {
                        return (w << 6) + BitOperations.TrailingZeroCount(starts);
                    }
                }
                evaluatedUpTo = Math.Max(evaluatedUpTo, to);
                var next = candidate + 1;
                if(alignFrames > 64)
                {
                    // Only words starting at an aligned frame can hold a start.
                    next = (int)AlignUpWord(next, alignFrames);
                }
                candidate = tree.FindNext(next);
            }
            return -1;
        }

        // Runs longer than a word: take each maximal free run holding a block the filter order
        // names and see whether an aligned, boundary-respecting start fits in it; then skip past it.
        private int FindLongRun(int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames)
        {
            // Every run of 127 frames holds a whole aligned word, every run of 63 an aligned 32-block.
            var order = n >= 127 ? 6 : 5;
            var tree = orderTrees[order];
            var f = lowFrame;
            while(f < highFrame)
            {
                var candidate = tree.FindNext(f >> 6);
                if(candidate < 0 || ((long)candidate << 6) >= highFrame)
                {
                    return -1;
                }
                var blocks = OrderBits(free[candidate], order);
                if(candidate == f >> 6)
                {
                    blocks &= ~0UL << (f & 63);
                }
                if(blocks == 0)
                {
                    f = (candidate + 1) << 6;
                    continue;
                }
                var inside = (candidate << 6) + BitOperations.TrailingZeroCount(blocks);
                var runEnd = ExtendUp(inside);
                var s = FitInRun(Math.Max(ExtendDown(inside), lowFrame), Math.Min(runEnd, highFrame), n, alignFrames, boundaryFrames);
                if(s >= 0)
                {
                    return s;
                }
                // runEnd is taken (or the end of the bitmap): the next run starts after it.
                f = runEnd + 1;
            }
            return -1;
        }

        // The first aligned start s in [start, end - n] whose run stays inside one boundary block, or -1.
        private int FitInRun(int start, int end, int n, long alignFrames, long boundaryFrames)
        {
            var s = AlignUpFrame(start, alignFrames);
            if(boundaryFrames > 0 && s + n > BoundaryEnd(s, boundaryFrames))
            {
                s = AlignUpFrame(BoundaryEnd(s, boundaryFrames), alignFrames);
            }
            return s + n <= end ? (int)s : -1;
        }

        // The local frame where the boundary block holding frame ends (boundaryFrames > 0).
        public long BoundaryEnd(long frame, long boundaryFrames)
        {
            var absolute = (long)BitmapBase + frame;
            return (absolute / boundaryFrames + 1) * boundaryFrames - (long)BitmapBase;
        }

        // First frame of the maximal free run holding free frame f.
        private int ExtendDown(int f)
        {
            var w = f >> 6;
            var below = (f & 63) == 0 ? 0UL : ~free[w] & ((1UL << (f & 63)) - 1);
            if(below != 0)
            {
                return (w << 6) + 64 - BitOperations.LeadingZeroCount(below);
            }
            while(--w >= 0)
            {
                if(free[w] != ~0UL)
                {
                    return (w << 6) + 64 - BitOperations.LeadingZeroCount(~free[w]);
                }
            }
            return 0;
        }

        // One past the last frame of the maximal free run holding free frame f.
        public int ExtendUp(int f)
        {
            var w = f >> 6;
            var above = ~free[w] & (~0UL << (f & 63));
            if(above != 0)
            {
                return (w << 6) + BitOperations.TrailingZeroCount(above);
            }
            while(++w < free.Length)
            {
                if(free[w] != ~0UL)
                {
                    return (w << 6) + BitOperations.TrailingZeroCount(~free[w]);
                }
            }
            return free.Length << 6;
        }

        // Bit p set iff frames [64w + p, 64w + p + n) are all free (n <= 64).
        private ulong RunStarts(int w, int n)
        {
            var low = free[w];
            if(n == 1)
            {
                return low;
            }
            var high = w + 1 < free.Length ? free[w + 1] : 0UL;
            var window = ((UInt128)high << 64) | low;
            var run = window;
            var length = 1;
            while(length < n)
            {
                var step = Math.Min(length, n - length);
                run &= run >> step;
                length += step;
            }
            return (ulong)run;
        }

        private ulong AlignMask(int w, long alignFrames)
        {
            if(alignFrames <= 1)
            {
                return ~0UL;
            }
            if(alignFrames <= 64)
            {
                return AlignPatterns[BitOperations.TrailingZeroCount((ulong)alignFrames)];
            }
            var absolute = BitmapBase + ((ulong)w << 6);
            return absolute % (ulong)alignFrames == 0 ? 1UL : 0UL;
        }

        private ulong BoundaryMask(int w, int n, long boundaryFrames)
        {
            if(boundaryFrames == 0)
            {
                return ~0UL;
            }
            if(boundaryFrames <= 64)
            {
                // Within each block of boundaryFrames bits, the first (boundary - n + 1) positions.
                var block = boundaryFrames - n + 1 >= 64 ? ~0UL : ((1UL << (int)(boundaryFrames - n + 1)) - 1);
                var mask = 0UL;
                for(var p = 0; p < 64; p += (int)boundaryFrames)
                {
                    mask |= block << p;
                }
                return mask;
            }
            var offset = (long)((BitmapBase + ((ulong)w << 6)) % (ulong)boundaryFrames);
            var allowed = boundaryFrames - n - offset + 1;
            return allowed <= 0 ? 0UL : allowed >= 64 ? ~0UL : ((1UL << (int)allowed) - 1);
        }

        // The first frame at or above frame whose absolute number is a multiple of alignFrames.
        public long AlignUpFrame(long frame, long alignFrames)
        {
            if(alignFrames <= 1)
            {
                return frame;
            }
            var absolute = (long)BitmapBase + frame;
            return ((absolute + alignFrames - 1) & ~(alignFrames - 1)) - (long)BitmapBase;
        }

        private long AlignUpWord(int word, long alignFrames)
        {
            var frame = AlignUpFrame((long)word << 6, alignFrames);
            return Math.Min(frame >> 6, int.MaxValue);
        }

        // The largest order k such that every run of n free frames starting at an aligned frame
        // holds a free, naturally aligned block of 2^k frames.
        private static int FilterOrder(int n, long alignFrames)
        {
            var k = BitOperations.Log2((uint)n + 1) - 1;
            var aligned = Math.Min(BitOperations.Log2((ulong)Math.Max(1, alignFrames)), BitOperations.Log2((uint)n));
            return Math.Min(Orders - 1, Math.Max(k, aligned));
        }

        // ---- Wiring and freeing -----------------------------------------------------------------

        // Wire for one frame: the allocate+free pair of single frames is the hottest path, so
        // only order 0 (any free), which single-frame searches use, is updated here; the word's
        // other orders are recomputed before the next multi-frame search.
        public void WireOne(int frame)
        {
            var w = frame >> 6;
            var bit = 1UL << frame;
            TakeOne(frame);
            head[w] |= bit;
            tail[w] |= bit;
        }

        private void TakeOne(int frame)
        {
            ClearFreeBit(frame);
            FreeCount--;
        }

        private void ReturnOne(int frame)
        {
            SetFreeBit(frame);
            FreeCount++;
        }

        // The free bit and its summaries alone; callers keep FreeCount (a frame in the magazine
        // counts as free whatever its bit says).
        private void ClearFreeBit(int frame)
        {
            var w = frame >> 6;
            var old = free[w];
            Debug.Assert((old & (1UL << frame)) != 0, "taking a frame that is not free");
            var x = old & ~(1UL << frame);
            free[w] = x;
            FreeWordChanged(w, old, x);
        }

        private void SetFreeBit(int frame)
        {
            var w = frame >> 6;
            var old = free[w];
            Debug.Assert((old & (1UL << frame)) == 0, "returning a frame that is free");
            var x = old | (1UL << frame);
            free[w] = x;
            FreeWordChanged(w, old, x);
        }

        // ---- The magazine ---------------------------------------------------------------------------
        //
        // A short LIFO of single frames in front of the bitmap, as in Bonwick's magazines and Linux's
        // per-CPU page lists: a single-frame allocate+free pair costs a pop, a push and one word of
        // markers instead of bitmap and summary updates, and hands out the frame used last. Frees
        // of single frames fill it; an allocation that finds it empty refills it with the free
        // frames of the lowest word that has any (lowest first), so a run of single-frame
        // allocations touches the bitmap once per word.
        //
        // A frame in the magazine is marked head without tail (not free, no wired segment of its
        // own: a second free fails the single-frame check without a search, and searches pass
        // over it) and counts as free (FreeCount). The single-frame paths use the magazine, page
        // allocation takes its top frame back (ReturnFromMagazine), and the allocator drains it
        // (DrainMagazine) for a single frame from part of the list, for a request the list cannot
        // serve otherwise, and to report a failure.

        public int MagazineCount => magazineCount;

        // Returns frame if it is a whole single-frame wired segment of its own: into the magazine
        // while there is room, else to the bitmap. False (nothing changed) otherwise, including for
        // a frame already in the magazine (a second free), for the caller's full check to say why.
        public bool TryFreeSingleFrame(int frame)
        {
            var w = frame >> 6;
            var bit = 1UL << frame;
            var tailWord = tail[w];
            if((head[w] & tailWord & ~multi[w] & bit) == 0)
            {
                return false;
            }
            if(magazineCount < magazine.Length)
            {
                magazine[magazineCount++] = frame;
                tail[w] = tailWord & ~bit;
                FreeCount++;
            }
            else
            {
                UnwireOne(frame);
            }
            return true;
        }

        public bool InMagazine(int frame)
        {
            return Array.IndexOf(magazine, frame, 0, magazineCount) >= 0;
        }

        // The frame on top of the magazine, wired as a single frame. Requires MagazineCount > 0.
        public int TakeFromMagazine()
        {
            Debug.Assert(magazineCount > 0, "the magazine is empty");
            var frame = magazine[--magazineCount];
            tail[frame >> 6] |= 1UL << frame;
            FreeCount--;
            return frame;
        }

        // The frame on top of the magazine, given back to the bitmap (free again) for a caller
        // that takes it as something else, a pageable page. Requires MagazineCount > 0.
        public int ReturnFromMagazine()
        {
            Debug.Assert(magazineCount > 0, "the magazine is empty");
            var frame = magazine[--magazineCount];
            head[frame >> 6] &= ~(1UL << frame);
            SetFreeBit(frame);
            return frame;
        }

        // Fills the empty magazine with the free frames of the lowest word that has any, as many as
        // fit, the lowest on top. False when the bitmap has no free frame.
        public bool TryRefillMagazine()
        {
            Debug.Assert(magazineCount == 0, "refilling a magazine that is not empty");
            var first = FindFreeFrame(FirstFrame, EndFrame);
            if(first < 0)
            {
                return false;
            }
            var w = first >> 6;
            var old = free[w];
            var count = Math.Min(BitOperations.PopCount(old), magazine.Length);
            var taken = 0UL;
            var rest = old;
            for(var i = count - 1; i >= 0; i--)
            {
                var f = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
                taken |= 1UL << f;
                magazine[i] = (w << 6) + f;
            }
            magazineCount = count;
            free[w] = rest;
            head[w] |= taken;
            FreeWordChanged(w, old, rest);
            return true;
        }

        // Gives every frame in the magazine back to the bitmap; returns how many. The magazine's
        // array keeps them, top last, for RestoreMagazine.
        public int DrainMagazine()
        {
            var count = magazineCount;
            while(magazineCount > 0)
            {
                ReturnFromMagazine();
            }
            return count;
        }

        // Takes back the count frames DrainMagazine gave back, in their order, when nothing has
        // taken any of them or used the magazine since (a failed call in between changes nothing).
        public void RestoreMagazine(int count)
        {
            Debug.Assert(magazineCount == 0, "restoring a magazine that was used since it was drained");
            for(var i = 0; i < count; i++)
            {
                var frame = magazine[i];
                ClearFreeBit(frame);
                head[frame >> 6] |= 1UL << frame;
            }
            magazineCount = count;
        }

        private void UnwireOne(int frame)
        {
            var w = frame >> 6;
            var bit = 1UL << frame;
            head[w] &= ~bit;
            tail[w] &= ~bit;
            multi[w] &= ~bit;
            ReturnOne(frame);
        }

        private void FreeWordChanged(int w, ulong old, ulong x)
        {
            // Order 0 ("any free") is what single-frame searches use: kept exact. Orders 1..6 of
            // the word are recomputed before the next multi-frame search when this change may
            // have altered them: taking frames can only drop orders the word has, returning
            // frames can only add orders it lacks. (For a word already marked, the stored mask is
            // stale but the word will be recomputed anyway.) So an allocation freed before the
            // next search costs its words no summary update at all.
            var mask = orderMask[w];
            if(old == 0)
            {
                orderTrees[0].Set(w);
                orderMask[w] = (byte)(mask | 1);
            }
            else if(x == 0)
            {
                orderTrees[0].Clear(w);
                orderMask[w] = (byte)(mask & 0xFE);
            }
            var higher = mask & 0x7E;
            if(x < old ? higher != 0 : higher != 0x7E)
            {
                MarkDirty(w);
            }
        }

        // Remembers w for RefreshOrders; with the stack full, brings w up to date at once instead,
        // so that a huge allocation never leaves the next search to recompute every word.
        private void MarkDirty(int w)
        {
            ref var bits = ref dirtyWords[w >> 6];
            var bit = 1UL << w;
            if((bits & bit) != 0)
            {
                return;
            }
            if(dirtyCount == dirtyStack.Length)
            {
                UpdateOrders(w);
                return;
            }
            bits |= bit;
            dirtyStack[dirtyCount++] = w;
        }

        // Brings every order summary up to date; multi-frame searches call it first.
        private void RefreshOrders()
        {
            for(var i = 0; i < dirtyCount; i++)
            {
                var w = dirtyStack[i];
                dirtyWords[w >> 6] &= ~(1UL << w);
                UpdateOrders(w);
            }
            dirtyCount = 0;
        }

        public void Wire(int start, int n, bool partOfMulti)
        {
            if(n == 1 && !partOfMulti)
            {
                WireOne(start);
                return;
            }
            ClearFree(start, n);
            head[start >> 6] |= 1UL << start;
            tail[(start + n - 1) >> 6] |= 1UL << (start + n - 1);
            if(partOfMulti)
            {
                multi[start >> 6] |= 1UL << start;
            }
        }

        // Whether [start, start + n) is exactly one wired segment as Wire made it; fills the
        // reason when not: NotAllocated (some frame is not wired) or PartialFree (all wired, but
        // the segment is not one whole segment).
        public AllocationError CheckWiredSegment(int start, int n, out bool partOfMulti)
        {
            var end = start + n - 1;
            // Heads and tails mark only wired segments, which never overlap: a head at start, a
            // tail at end and no marker between mean exactly one whole segment.
            if(IsSet(head, start) && IsSet(tail, end) && (n == 1 || (!AnySet(head, start + 1, n - 1) && !AnySet(tail, start, n - 1))))
            {
                partOfMulti = IsSet(multi, start);
                return AllocationError.None;
            }
            partOfMulti = false;
            return !AllClear(free, start, n) || HasQueuedPage(start, n) ? AllocationError.NotAllocated : AllocationError.PartialFree;
        }

        public void Unwire(int start, int n)
        {
            if(n == 1)
            {
                UnwireOne(start);
                return;
            }
            head[start >> 6] &= ~(1UL << start);
            tail[(start + n - 1) >> 6] &= ~(1UL << (start + n - 1));
            multi[start >> 6] &= ~(1UL << start);
            SetFree(start, n);
        }

        private void ClearFree(int start, int n)
        {
            for(var f = start; f < start + n;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), start + n - f);
                var mask = (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                var old = free[w];
                Debug.Assert((old & mask) == mask, "wiring a frame that is not free");
                free[w] = old & ~mask;
                FreeWordChanged(w, old, old & ~mask);
                f += bits;
            }
            FreeCount -= n;
        }

        private void SetFree(int start, int n)
        {
            for(var f = start; f < start + n;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), start + n - f);
                var mask = (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                var old = free[w];
                Debug.Assert((old & mask) == 0, "freeing a frame that is free");
                free[w] = old | mask;
                FreeWordChanged(w, old, old | mask);
                f += bits;
            }
            FreeCount += n;
        }

        private void UpdateOrders(int w)
        {
            // Order k holds iff some 2^k-bit lane of the word is all free, i.e. some lane of the
            // taken bits is zero: the has-zero-lane test, one independent expression per order.
            var x = free[w];
            var taken = ~x;
            var mask = (x != 0 ? 1 : 0)
                | (((taken - 0x5555555555555555UL) & x & 0xAAAAAAAAAAAAAAAAUL) != 0 ? 2 : 0)
                | (((taken - 0x1111111111111111UL) & x & 0x8888888888888888UL) != 0 ? 4 : 0)
                | (((taken - 0x0101010101010101UL) & x & 0x8080808080808080UL) != 0 ? 8 : 0)
                | (((taken - 0x0001000100010001UL) & x & 0x8000800080008000UL) != 0 ? 16 : 0)
                | (((taken - 0x0000000100000001UL) & x & 0x8000000080000000UL) != 0 ? 32 : 0)
                | (taken == 0 ? 64 : 0);
            var changed = mask ^ orderMask[w];
            if(changed == 0)
            {
                return;
            }
            orderMask[w] = (byte)mask;
            while(changed != 0)
            {
                var k = BitOperations.TrailingZeroCount(changed);
                changed &= changed - 1;
                if((mask & (1 << k)) != 0)
                {
                    orderTrees[k].Set(w);
                }
                else
                {
                    orderTrees[k].Clear(w);
                }
            }
        }

        // The start bits of the free naturally aligned 2^order blocks of a word.
        private static ulong OrderBits(ulong x, int order)
        {
            if(order == 6)
            {
                return x == ~0UL ? 1UL : 0UL;
            }
            var bits = x;
            for(var k = 0; k < order; k++)
            {
                bits &= (bits >> (1 << k)) & OrderStartMasks[k];
            }
            return bits;
        }

        private static bool IsSet(ulong[] map, int f)
        {
            return (map[f >> 6] & (1UL << f)) != 0;
        }

        private static bool AnySet(ulong[] map, int start, int n)
        {
            for(var f = start; f < start + n;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), start + n - f);
                var mask = (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                if((map[w] & mask) != 0)
                {
                    return true;
                }
                f += bits;
            }
            return false;
        }

        private static bool AllClear(ulong[] map, int start, int n)
        {
            return !AnySet(map, start, n);
        }

        // ---- Pageable pages ----------------------------------------------------------------------

        public static int Queue(PageKind kind, bool inactive)
        {
            return ((int)kind << 1) | (inactive ? 1 : 0);
        }

        public bool IsQueuedPage(int frame)
        {
            var flags = pageFlags[frame >> ChunkShift];
            return flags != null && (flags[frame & ChunkMask] & FlagQueued) != 0;
        }

        public int PageQueue(int frame)
        {
            return pageFlags[frame >> ChunkShift][frame & ChunkMask] & QueueBits;
        }

        public bool IsReferenced(int frame)
        {
            return (pageFlags[frame >> ChunkShift][frame & ChunkMask] & FlagReferenced) != 0;
        }

        public void SetReferenced(int frame, bool referenced)
        {
            ref var flags = ref pageFlags[frame >> ChunkShift][frame & ChunkMask];
            flags = (byte)(referenced ? flags | FlagReferenced : flags & ~FlagReferenced);
        }

        public long Stamp(int frame)
        {
            return pageStamps[frame >> ChunkShift][frame & ChunkMask];
        }

        public int QueueFirst(int queue)
        {
            return queueHead[queue];
        }

        // Turns free frame f into a pageable page at the tail of the kind's active queue.
        public void MakePage(int frame, PageKind kind, long stamp)
        {
            TakeOne(frame);
            var chunk = frame >> ChunkShift;
            if(pageFlags[chunk] == null)
            {
                nextLinks[chunk] = new int[ChunkSize];
                previousLinks[chunk] = new int[ChunkSize];
                pageFlags[chunk] = new byte[ChunkSize];
                pageStamps[chunk] = new long[ChunkSize];
            }
            chunkPages[chunk]++;
            Enqueue(frame, Queue(kind, false), stamp);
        }

        // Returns page f to the free frames; its chunk goes when its last page does.
        public void ReleasePage(int frame)
        {
            Dequeue(frame);
            var chunk = frame >> ChunkShift;
            pageFlags[chunk][frame & ChunkMask] = 0;
            if(--chunkPages[chunk] == 0)
            {
                nextLinks[chunk] = null;
                previousLinks[chunk] = null;
                pageFlags[chunk] = null;
                pageStamps[chunk] = null;
            }
            ReturnOne(frame);
        }

        public void Requeue(int frame, int queue, long stamp)
        {
            Dequeue(frame);
            Enqueue(frame, queue, stamp);
        }

        private void Enqueue(int frame, int queue, long stamp)
        {
            var chunk = frame >> ChunkShift;
            var slot = frame & ChunkMask;
            pageFlags[chunk][slot] = (byte)(FlagQueued | queue);
            pageStamps[chunk][slot] = stamp;
            nextLinks[chunk][slot] = -1;
            previousLinks[chunk][slot] = queueTail[queue];
            if(queueTail[queue] >= 0)
            {
                nextLinks[queueTail[queue] >> ChunkShift][queueTail[queue] & ChunkMask] = frame;
            }
            else
            {
                queueHead[queue] = frame;
            }
            queueTail[queue] = frame;
            QueueLength[queue]++;
        }

        private void Dequeue(int frame)
        {
            var chunk = frame >> ChunkShift;
            var slot = frame & ChunkMask;
            var queue = pageFlags[chunk][slot] & QueueBits;
            var next = nextLinks[chunk][slot];
            var previous = previousLinks[chunk][slot];
            if(previous >= 0)
            {
                nextLinks[previous >> ChunkShift][previous & ChunkMask] = next;
            }
            else
            {
                queueHead[queue] = next;
            }
            if(next >= 0)
            {
                previousLinks[next >> ChunkShift][next & ChunkMask] = previous;
            }
            else
            {
                queueTail[queue] = previous;
            }
            QueueLength[queue]--;
        }

        private bool HasQueuedPage(int start, int n)
        {
            for(var f = start; f < start + n; f++)
            {
                if(IsQueuedPage(f))
                {
                    return true;
                }
            }
            return false;
        }

        [Conditional("DEBUG")]
        public void CheckInvariants()
        {
            long freeBits = 0;
            for(var w = 0; w < free.Length; w++)
            {
                freeBits += BitOperations.PopCount(free[w]);
                Debug.Assert(orderTrees[0].Get(w) == (free[w] != 0), "order-0 summary out of date");
                if((dirtyWords[w >> 6] & (1UL << w)) == 0)
                {
                    for(var k = 1; k < Orders; k++)
                    {
                        Debug.Assert(orderTrees[k].Get(w) == (OrderBits(free[w], k) != 0), "order summary out of date on a clean word");
                    }
                }
            }
            Debug.Assert(freeBits + magazineCount == FreeCount, "free count does not match the bitmap and the magazine");
            for(var i = 0; i < magazineCount; i++)
            {
                var f = magazine[i];
                Debug.Assert(IsSet(head, f) && !IsSet(tail, f) && !IsSet(multi, f) && !IsSet(free, f), "a frame in the magazine is not marked head without tail");
                Debug.Assert(Array.IndexOf(magazine, f, 0, i) < 0, "a frame is in the magazine twice");
            }
            long queued = 0;
            foreach(var length in QueueLength)
            {
                Debug.Assert(length >= 0, "negative queue length");
                queued += length;
            }
            Debug.Assert(FreeCount + queued <= Pages, "more frames free or queued than the list has");
        }

        public const int Orders = 7;
        // Words whose orders 1..6 may be stale, remembered up to this many; past it a changed
        // word is brought up to date at once.
        private const int DirtyStackSize = 4096;
        // Frames the magazine holds: half a bitmap word, so that a refill leaves the word's other
        // free frames to multi-frame searches.
        private const int MagazineSize = 32;
        public const int QueueCount = 4;
        private const int ChunkShift = 12;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;
        private const byte QueueBits = 0x3;
        private const byte FlagQueued = 0x4;
        private const byte FlagReferenced = 0x8;

        private static readonly ulong[] OrderStartMasks =
        {
            0x5555555555555555UL, 0x1111111111111111UL, 0x0101010101010101UL, 0x0001000100010001UL, 0x0000000100000001UL, 0x1UL
        };

        // AlignPatterns[k]: a bit at every multiple of 2^k within a word.
        private static readonly ulong[] AlignPatterns =
        {
            ~0UL, 0x5555555555555555UL, 0x1111111111111111UL, 0x0101010101010101UL, 0x0001000100010001UL, 0x0000000100000001UL, 0x1UL
        };

        private readonly ulong[] free;
        private readonly ulong[] head;
        private readonly ulong[] tail;
        private readonly ulong[] multi;
        private readonly byte[] orderMask;
        private readonly ulong[] dirtyWords;
        private readonly int[] dirtyStack;
        private int dirtyCount;
        private readonly int[] magazine;
        private int magazineCount;
        private readonly BitTree[] orderTrees;
        private readonly int[][] nextLinks;
        private readonly int[][] previousLinks;
        private readonly byte[][] pageFlags;
        private readonly long[][] pageStamps;
        private readonly int[] chunkPages;
        private readonly int[] queueHead;
        private readonly int[] queueTail;
    }
}
