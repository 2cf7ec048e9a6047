using System;
using System.Diagnostics;
using System.Numerics;

namespace RenodeFrameAlloc.Frames
{
    // The segregated list of one bus range: its frames as bitmaps (FrameBitmap: free frames,
    // wired segments, the searches), the magazine of single frames in front of them
    // (FrameMagazine), its pageable pages on their queues (PageQueues), and its counters and
    // pager targets. It keeps what ties them together: every frame is free (in the bitmap or
    // parked in the magazine), wired, or a queued page, and FreeCount counts the first kind.
    //
    // Frames are local frame numbers (FrameBitmap explains the numbering); FrameOf and AddressOf
    // convert.
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
            Bitmap = new FrameBitmap(BitmapBase, FirstFrame, EndFrame);
            Magazine = FrameMagazine.CreateEmpty();
            Queues = new PageQueues(EndFrame);
            FreeCount = Pages;
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

        // Structs, used in place (FrameBitmap says why): not readonly, which would make every call a copy.
        public FrameBitmap Bitmap;
        public FrameMagazine Magazine;
        public readonly PageQueues Queues;

        public long FreeCount;
        public long Allocations;
        public long Failures;
        public long Reclaims;
        public long FreeTarget;
        public long InactiveTarget;

        // Wired is what is left, so the hot paths keep one counter, not two.
        public long WiredCount => Pages - FreeCount - Queues.Queued;

        public long MetadataBytes => Bitmap.MetadataBytes + Magazine.MetadataBytes + Queues.MetadataBytes;

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

        // ---- Wired frames ------------------------------------------------------------------------

        // Wires free frames [start, start + n) as one segment (FrameBitmap.Wire).
        public void Wire(int start, int n, bool partOfMulti)
        {
            Bitmap.Wire(start, n, partOfMulti);
            FreeCount -= n;
        }

        public void WireOne(int frame)
        {
            Bitmap.WireOne(frame);
            FreeCount--;
        }

        // Whether [start, start + n) is exactly one wired segment as Wire made it; the reason when
        // not: NotAllocated (some frame is not wired) or PartialFree (all wired, but the segment
        // is not one whole segment).
        public AllocationError CheckWiredSegment(int start, int n, out bool partOfMulti)
        {
            if(Bitmap.IsWholeSegment(start, n, out partOfMulti))
            {
                return AllocationError.None;
            }
            return Bitmap.AnyFree(start, n) || Queues.AnyQueued(start, n) ? AllocationError.NotAllocated : AllocationError.PartialFree;
        }

        public void Unwire(int start, int n)
        {
            Bitmap.Unwire(start, n);
            FreeCount += n;
        }

        // ---- Single frames through the magazine --------------------------------------------------

        // Returns frame if it is a whole single-frame wired segment of its own: into the magazine
        // while there is room, else to the bitmap. False (nothing changed) otherwise, including for
        // a frame already in the magazine (a second free), for the caller's full check to say why.
        public bool TryFreeSingleFrame(int frame)
        {
            // Parking is the lone-frame test: one load of the frame's marker words for both.
            if(!FrameBitmap.TryParkLone(this, frame))
            {
                return false;
            }
            // Counted first, so that nothing is left to do after the call to ReleaseParked.
            FreeCount++;
            if(!FrameMagazine.TryPushParked(this, frame))
            {
                Bitmap.ReleaseParked(frame);
            }
            return true;
        }

        // The frame on top of the magazine, wired as a single frame. Requires Magazine.Count > 0.
        public int TakeFromMagazine()
        {
            var frame = FrameMagazine.Pop(this);
            FreeCount--;
            return frame;
        }

        // ---- Pageable pages ----------------------------------------------------------------------

        // Turns free frame f into a pageable page at the tail of the kind's active queue.
        public void MakePage(int frame, PageKind kind, long stamp)
        {
            Bitmap.TakeFree(frame);
            FreeCount--;
            Queues.Add(frame, kind, stamp);
        }

        // Returns page f to the free frames.
        public void ReleasePage(int frame)
        {
            Queues.Remove(frame);
            Bitmap.ReturnFree(frame);
            FreeCount++;
        }

        [Conditional("DEBUG")]
        public void CheckInvariants()
        {
            Bitmap.CheckInvariants();
            FrameMagazine.CheckInvariants(this);
            Queues.CheckInvariants();
            var freeBits = Bitmap.CountFreeBits();
            Debug.Assert(freeBits + Magazine.Count == FreeCount,
                $"list {Range.Name}: free count {FreeCount}, but {freeBits} free in the bitmap and {Magazine.Count} in the magazine");
            Debug.Assert(FreeCount + Queues.Queued <= Pages,
                $"list {Range.Name}: {FreeCount} free and {Queues.Queued} queued, more than its {Pages} pages");
        }
    }
}
