using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RenodeFrameAlloc.Frames
{
    // The frames of one list as bitmaps, and the search for free runs in them: the part of a
    // FrameList that vm_phys's free lists and buddy search are in FreeBSD.
    //
    // Four bits per frame: free; head and tail, the first and last frame of each wired segment;
    // multi, on the head of a segment that is one of several of an allocation. Seven per-order
    // summaries ("this 64-frame word holds a free, naturally aligned block of 2^k frames") let a
    // search visit only words that can hold a run. Order 0 ("any free") is kept exact; orders 1..6
    // of a changed word are recomputed lazily, before the next multi-frame search.
    //
    // Frames are indexed locally from BitmapBase, the range's first absolute frame number rounded
    // down to a multiple of 64, so bit p of any word has the same residue modulo every power of
    // two up to 64 as the absolute frame number: alignment and boundary masks need no shifting.
    // Local frames before FirstFrame and from EndFrame on are never free.
    //
    // The bitmap keeps no counts: FrameList counts free frames, including those its magazine
    // holds parked (marked head without tail, see FrameMagazine).
    //
    // A struct held in place in its FrameList, so that the single-frame paths reach the marker
    // words with no load more than when they were FrameList's own fields (a class here made the
    // 8 ns allocate+free pair 10% slower). It has mutable state (the stale-word stack): use it
    // only in place (list.Bitmap.X(), ref locals, ref parameters), never a copy.
    internal struct FrameBitmap
    {
        public FrameBitmap(ulong bitmapBase, int firstFrame, int endFrame)
        {
            BitmapBase = bitmapBase;
            FirstFrame = firstFrame;
            EndFrame = endFrame;
            var words = (endFrame + 63) >> 6;
            free = new ulong[words];
            head = new ulong[words];
            tail = new ulong[words];
            multi = new ulong[words];
            orderMask = new byte[words];
            dirtyWords = new ulong[(words + 63) >> 6];
            dirtyStack = new int[Math.Min(words, DirtyStackSize)];
            dirtyCount = 0;
            orderTrees = new BitTree[Orders];
            for(var k = 0; k < Orders; k++)
            {
                orderTrees[k] = new BitTree(words);
            }
            for(var f = firstFrame; f < endFrame;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), endFrame - f);
                free[w] |= (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                f += bits;
            }
            for(var w = 0; w < words; w++)
            {
                UpdateOrders(w);
            }
        }

        public ulong BitmapBase { get; }
        public int FirstFrame { get; }
        public int EndFrame { get; }

        public long MetadataBytes
        {
            get
            {
                long bytes = (free.Length + head.Length + tail.Length + multi.Length + dirtyWords.Length) * (long)sizeof(ulong)
                    + orderMask.Length + dirtyStack.Length * (long)sizeof(int);
                foreach(var tree in orderTrees)
                {
                    bytes += tree.MemoryBytes;
                }
                return bytes;
            }
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

        // ---- Searching -----------------------------------------------------------------------

        // The lowest free frame in [lowFrame, highFrame), or -1.
        public int FindFreeFrame(int lowFrame, int highFrame)
        {
            Debug.Assert(0 <= lowFrame && lowFrame < highFrame && highFrame <= free.Length << 6,
                $"FindFreeFrame: window [{lowFrame}, {highFrame}) empty or outside the bitmap's {free.Length << 6} frames");
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
            Debug.Assert(n >= 1, $"FindRun: run of {n} frames");
            Debug.Assert(alignFrames >= 1 && (alignFrames & (alignFrames - 1)) == 0, $"FindRun: alignment of {alignFrames} frames is not a power of two");
            Debug.Assert(boundaryFrames == 0 || ((boundaryFrames & (boundaryFrames - 1)) == 0 && boundaryFrames >= n),
                $"FindRun: boundary of {boundaryFrames} frames is not 0 or a power of two >= the run of {n}");
            Debug.Assert(0 <= lowFrame && lowFrame <= highFrame && highFrame <= free.Length << 6,
                $"FindRun: window [{lowFrame}, {highFrame}) outside the bitmap's {free.Length << 6} frames");
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

        // Marks free frames [start, start + n) as one wired segment: head on its first frame, tail
        // on its last, multi when it is one segment of a multi-segment allocation.
        public void Wire(int start, int n, bool partOfMulti)
        {
            AssertInside("Wire", start, n);
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

        // Wire for one frame: the allocate+free pair of single frames is the hottest path, so
        // only order 0 (any free), which single-frame searches use, is updated here; the word's
        // other orders are recomputed before the next multi-frame search.
        public void WireOne(int frame)
        {
            var w = frame >> 6;
            var bit = 1UL << frame;
            ClearFreeBit(frame);
            head[w] |= bit;
            tail[w] |= bit;
        }

        // Frees the wired segment [start, start + n), which must be exactly one (IsWholeSegment).
        public void Unwire(int start, int n)
        {
            AssertInside("Unwire", start, n);
            Debug.Assert(IsWholeSegment(start, n, out _), $"Unwire: [{start}, {start + n}) is not one whole wired segment");
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

        public void UnwireOne(int frame)
        {
            var w = frame >> 6;
            var bit = 1UL << frame;
            head[w] &= ~bit;
            tail[w] &= ~bit;
            multi[w] &= ~bit;
            SetFreeBit(frame);
        }

        // Whether [start, start + n) is exactly one wired segment as Wire made it. Heads and tails
        // mark only wired segments, which never overlap: a head at start, a tail at the last frame
        // and no marker between mean exactly one whole segment.
        public bool IsWholeSegment(int start, int n, out bool partOfMulti)
        {
            var end = start + n - 1;
            if(IsSet(head, start) && IsSet(tail, end) && (n == 1 || (!AnySet(head, start + 1, n - 1) && !AnySet(tail, start, n - 1))))
            {
                partOfMulti = IsSet(multi, start);
                return true;
            }
            partOfMulti = false;
            return false;
        }

        public bool AnyFree(int start, int n)
        {
            return AnySet(free, start, n);
        }

        // A free frame taken as something the bitmap does not mark (a pageable page), and given back.
        public void TakeFree(int frame)
        {
            ClearFreeBit(frame);
        }

        public void ReturnFree(int frame)
        {
            SetFreeBit(frame);
        }

        // ---- Frames parked in a magazine ----------------------------------------------------------
        //
        // Marked head without tail: not free, so searches pass over them, and no wired segment of
        // their own, so a second free fails TryParkLone without a search of the magazine.

        public bool IsParked(int frame)
        {
            return IsSet(head, frame) && !IsSet(tail, frame) && !IsSet(multi, frame) && !IsSet(free, frame);
        }

        // Parks frame if it is a whole single-frame wired segment of its own (a lone frame) in
        // list's bitmap; false, nothing changed, if not. The single-frame free: one load of the
        // tail word serves the test and the update. Static over the list, as FrameMagazine's
        // operations are and for their reason: as an instance call through list.Bitmap, the
        // inlined test held a pointer to the bitmap beside the list, which cost the 64-frame
        // batch's free loop a register saved and restored per free (bench/README.md). Inlined by
        // request: the JIT left the test a call on that path.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TryParkLone(FrameList list, int frame)
        {
            var w = frame >> 6;
            var bit = 1UL << frame;
            var tail = list.Bitmap.tail;
            var tailWord = tail[w];
            if((list.Bitmap.head[w] & tailWord & ~list.Bitmap.multi[w] & bit) == 0)
            {
                return false;
            }
            tail[w] = tailWord & ~bit;
            return true;
        }

        // A parked frame wired again as a lone frame.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Unpark(int frame)
        {
            Debug.Assert(IsParked(frame), $"Unpark: frame {frame} is not parked");
            tail[frame >> 6] |= 1UL << frame;
        }

        // A free frame parked.
        public void ParkFree(int frame)
        {
            ClearFreeBit(frame);
            head[frame >> 6] |= 1UL << frame;
        }

        // A parked frame freed.
        public void ReleaseParked(int frame)
        {
            Debug.Assert(IsParked(frame), $"ReleaseParked: frame {frame} is not parked");
            head[frame >> 6] &= ~(1UL << frame);
            SetFreeBit(frame);
        }

        // Parks free frames of word w, given as the word's bits.
        public void ParkFree(int w, ulong bits)
        {
            var old = free[w];
            Debug.Assert(bits != 0 && (old & bits) == bits, $"ParkFree: word {w} frames 0x{bits:X16} not all free (free 0x{old:X16})");
            free[w] = old & ~bits;
            head[w] |= bits;
            FreeWordChanged(w, old, old & ~bits);
        }

        // The free bits of word w.
        public ulong FreeWord(int w)
        {
            return free[w];
        }

        // ---- Bits and summaries --------------------------------------------------------------------

        // The free bit and its summaries alone.
        private void ClearFreeBit(int frame)
        {
            var w = frame >> 6;
            var old = free[w];
            Debug.Assert((old & (1UL << frame)) != 0, $"taking frame {frame}, which is not free");
            var x = old & ~(1UL << frame);
            free[w] = x;
            FreeWordChanged(w, old, x);
        }

        private void SetFreeBit(int frame)
        {
            var w = frame >> 6;
            var old = free[w];
            Debug.Assert((old & (1UL << frame)) == 0, $"returning frame {frame}, which is free");
            var x = old | (1UL << frame);
            free[w] = x;
            FreeWordChanged(w, old, x);
        }

        private void ClearFree(int start, int n)
        {
            for(var f = start; f < start + n;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), start + n - f);
                var mask = (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                var old = free[w];
                Debug.Assert((old & mask) == mask, $"wiring [{start}, {start + n}): frames of word {w} are not free (free 0x{old:X16}, wired 0x{mask:X16})");
                free[w] = old & ~mask;
                FreeWordChanged(w, old, old & ~mask);
                f += bits;
            }
        }

        private void SetFree(int start, int n)
        {
            for(var f = start; f < start + n;)
            {
                var w = f >> 6;
                var bits = Math.Min(64 - (f & 63), start + n - f);
                var mask = (bits == 64 ? ~0UL : ((1UL << bits) - 1)) << (f & 63);
                var old = free[w];
                Debug.Assert((old & mask) == 0, $"freeing [{start}, {start + n}): frames of word {w} are free already (free 0x{old:X16}, freed 0x{mask:X16})");
                free[w] = old | mask;
                FreeWordChanged(w, old, old | mask);
                f += bits;
            }
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

        [Conditional("DEBUG")]
        private void AssertInside(string operation, int start, int n)
        {
            Debug.Assert(n >= 1 && start >= FirstFrame && (long)start + n <= EndFrame,
                $"{operation}: [{start}, {(long)start + n}) is empty or outside the list's frames [{FirstFrame}, {EndFrame})");
        }

        // Free frames by their bits (parked ones not among them): for FrameList's count check.
        public long CountFreeBits()
        {
            long count = 0;
            for(var w = 0; w < free.Length; w++)
            {
                count += BitOperations.PopCount(free[w]);
            }
            return count;
        }

        // The summaries match the bits: exactly for order 0, and for the other orders wherever the
        // word is not waiting for RefreshOrders.
        [Conditional("DEBUG")]
        public void CheckInvariants()
        {
            for(var w = 0; w < free.Length; w++)
            {
                Debug.Assert(orderTrees[0].Get(w) == (free[w] != 0), $"order-0 summary of word {w} out of date (free 0x{free[w]:X16})");
                if((dirtyWords[w >> 6] & (1UL << w)) == 0)
                {
                    for(var k = 1; k < Orders; k++)
                    {
                        Debug.Assert(orderTrees[k].Get(w) == (OrderBits(free[w], k) != 0), $"order-{k} summary of clean word {w} out of date (free 0x{free[w]:X16})");
                    }
                }
            }
        }

        public const int Orders = 7;
        // Words whose orders 1..6 may be stale, remembered up to this many; past it a changed
        // word is brought up to date at once.
        private const int DirtyStackSize = 4096;

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
        private readonly BitTree[] orderTrees;
    }
}
