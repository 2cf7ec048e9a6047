using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests.Model
{
    // Ground truth for "does this request fit this list": tries every aligned start frame.
    // For a start s the first segment is the longest free run from s that respects the boundary
    // and the segment-size limit; the other segments are the largest pieces of free memory above
    // it (free runs cut at boundaries, then into max-size pieces). Taking the largest pieces is
    // optimal because pieces never compete for frames, so a request fits iff some s fits this way.
    public static class PlacementSearch
    {
        public static bool Fits(FrameOracle oracle, int range, ulong low, ulong high, long pages,
            long alignPages, long boundaryPages, long maxSegments, long maxSegmentPages)
        {
            var r = oracle.Range(range);
            var basePage = (long)(r.Base / Layouts.Page);
            var lo = Math.Max(basePage, (long)Math.Min(low / Layouts.Page, long.MaxValue));
            var hi = Math.Min(basePage + (long)(r.Size / Layouts.Page), (long)Math.Min(high / Layouts.Page, long.MaxValue));
            if(hi - lo < pages)
            {
                return false;
            }
            var first = oracle.FirstFrame(range);
            bool IsFree(long page) => oracle.State(first + (int)(page - basePage)) == PageState.Free;
            var maxPiece = maxSegmentPages > 0 ? maxSegmentPages : long.MaxValue;
            var pieces = new List<long>();
            for(var s = (lo + alignPages - 1) / alignPages * alignPages; s < hi; s += alignPages)
            {
                if(!IsFree(s))
                {
                    continue;
                }
                var firstLength = Run(s, hi, boundaryPages, maxPiece, IsFree);
                if(firstLength >= pages)
                {
                    return true;
                }
                if(maxSegments == 1)
                {
                    continue;
                }
                pieces.Clear();
                var p = s + firstLength;
                while(p < hi)
                {
                    if(!IsFree(p))
                    {
                        p++;
                        continue;
                    }
                    var length = Run(p, hi, boundaryPages, long.MaxValue, IsFree);
                    p += length;
                    while(length > 0)
                    {
                        var piece = Math.Min(length, maxPiece);
                        pieces.Add(piece);
                        length -= piece;
                    }
                }
                pieces.Sort((a, b) => b.CompareTo(a));
                var total = firstLength;
                for(var i = 0; i < pieces.Count && i < maxSegments - 1 && total < pages; i++)
                {
                    total += pieces[i];
                }
                if(total >= pages)
                {
                    return true;
                }
            }
            return false;
        }

        // Free pages from start (inclusive) up to hi, stopping at a boundary line or at maxLength.
        private static long Run(long start, long hi, long boundaryPages, long maxLength, Func<long, bool> isFree)
        {
            var p = start;
            while(p < hi && isFree(p) && p - start < maxLength && (p == start || boundaryPages == 0 || p % boundaryPages != 0))
            {
                p++;
            }
            return p - start;
        }
    }
}
