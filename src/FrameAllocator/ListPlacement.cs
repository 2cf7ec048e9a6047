using System;

namespace RenodeFrameAlloc.Frames
{
    // Where one list puts a request of n frames under the constraints, in frames: one aligned,
    // boundary-respecting run when the limits allow it; else, for a scattered request, first fit
    // from the bottom of the window, and when that needs too many segments the exact search
    // (ScatteredPlacement). Only the first segment is aligned.
    internal static class ListPlacement
    {
        // Finds a placement of n frames in [lowFrame, highFrame) of list and wires it. Writes its
        // segments (ascending, coalesced where no boundary or segment size limit splits them) to
        // destination and returns their count, at most maxSegments; -1 with nothing changed when
        // the list has no placement. Requires n >= 1 and alignFrames, boundaryFrames (0 = none)
        // powers of two.
        public static int PlaceAndWire(FrameList list, int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames,
            long maxSegmentFrames, int maxSegments, Span<Segment> destination)
        {
            if((boundaryFrames == 0 || n <= boundaryFrames) && (maxSegmentFrames == 0 || n <= maxSegmentFrames))
            {
                var start = list.Bitmap.FindRun(lowFrame, highFrame, n, alignFrames, boundaryFrames);
                if(start >= 0)
                {
                    list.Wire(start, n, false);
                    destination[0] = new Segment(list.AddressOf(start), (ulong)n << list.PageShift);
                    return 1;
                }
            }
            if(maxSegments == 1)
            {
                return -1;
            }
            var count = CollectAscending(list, lowFrame, highFrame, n, alignFrames, boundaryFrames, maxSegmentFrames, maxSegments, destination);
            if(count < 0)
            {
                count = ScatteredPlacement.Find(list, lowFrame, highFrame, n, alignFrames, boundaryFrames, maxSegmentFrames, maxSegments, destination);
            }
            if(count < 0)
            {
                return -1;
            }
            for(var i = 0; i < count; i++)
            {
                list.Wire(list.FrameOf(destination[i].Address), (int)(destination[i].Length >> list.PageShift), count > 1);
            }
            return count;
        }

        // First fit from the bottom of the window: free runs in address order, split where they
        // would cross a boundary or exceed the segment size. Returns the count, or -1 when more
        // than maxSegments pieces would be needed.
        private static int CollectAscending(FrameList list, int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames,
            long maxSegmentFrames, int maxSegments, Span<Segment> destination)
        {
            ref var bitmap = ref list.Bitmap;
            var count = 0;
            var need = n;
            var frame = bitmap.FindRun(lowFrame, highFrame, 1, alignFrames, 0);
            while(need > 0 && frame >= 0)
            {
                var runEnd = Math.Min(bitmap.ExtendUp(frame), highFrame);
                while(frame < runEnd && need > 0)
                {
                    var pieceEnd = PieceEnd(ref bitmap, frame, runEnd, need, boundaryFrames, maxSegmentFrames);
                    if(count == maxSegments)
                    {
                        return -1;
                    }
                    destination[count++] = new Segment(list.AddressOf(frame), (ulong)(pieceEnd - frame) << list.PageShift);
                    need -= pieceEnd - frame;
                    frame = pieceEnd;
                }
                frame = runEnd < highFrame ? bitmap.FindFreeFrame(runEnd, highFrame) : -1;
            }
            return need == 0 ? count : -1;
        }

        private static int PieceEnd(ref FrameBitmap bitmap, int frame, int runEnd, int need, long boundaryFrames, long maxSegmentFrames)
        {
            long end = Math.Min(runEnd, (long)frame + need);
            if(boundaryFrames > 0)
            {
                end = Math.Min(end, bitmap.BoundaryEnd(frame, boundaryFrames));
            }
            if(maxSegmentFrames > 0)
            {
                end = Math.Min(end, frame + maxSegmentFrames);
            }
            return (int)end;
        }
    }
}
