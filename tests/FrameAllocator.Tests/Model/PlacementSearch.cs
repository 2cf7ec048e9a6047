using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests.Model
{
    // Ground truth for "does this request fit this list": tries every aligned start frame s.
    // The first segment is the longest free run from s that respects the boundary and the
    // segment-size limit; the others are the largest pieces of free memory above it (free runs
    // cut at boundary lines, then into max-size pieces). Taking the largest pieces is optimal
    // because pieces never compete for frames, so a request fits iff some s fits this way.
    // Only the first segment is aligned, as in uvm_pglistalloc(9).
    public static class PlacementSearch
    {
        // A placement that fits, as segments in address order, or null when there is none.
        public static List<Segment> Find(FrameOracle oracle, int range, ulong low, ulong high, long pages,
            long alignPages, long boundaryPages, long maxSegments, long maxSegmentPages)
        {
            var r = oracle.Range(range);
            var basePage = (long)(r.Base / Layouts.Page);
            var lo = Math.Max(basePage, (long)Math.Min(low / Layouts.Page, long.MaxValue));
            var hi = Math.Min(basePage + (long)(r.Size / Layouts.Page), (long)Math.Min(high / Layouts.Page, long.MaxValue));
            if(hi - lo < pages)
            {
                return null;
            }
            var n = (int)(hi - lo);
            var first = oracle.FirstFrame(range) + (int)(lo - basePage);
            var maxPiece = maxSegmentPages > 0 ? maxSegmentPages : long.MaxValue;

            // Chunks: maximal free runs cut at boundary lines, with suffix summaries.
            var chunkOf = new int[n];
            var chunkStarts = new List<int>();
            var chunkLengths = new List<int>();
            for(var i = 0; i < n;)
            {
                if(oracle.State(first + i) != PageState.Free)
                {
                    chunkOf[i++] = -1;
                    continue;
                }
                var start = i;
                do
                {
                    chunkOf[i++] = chunkStarts.Count;
                }
                while(i < n && oracle.State(first + i) == PageState.Free && !IsLine(lo + i, boundaryPages));
                chunkStarts.Add(start);
                chunkLengths.Add(i - start);
            }
            var chunks = chunkStarts.Count;
            long totalPieces = 0;
            for(var c = 0; c < chunks; c++)
            {
                totalPieces += PieceCount(chunkLengths[c], maxPiece);
            }
            var others = maxSegments - 1;
            var unlimited = others >= totalPieces;
            var k = unlimited ? 0 : (int)others;
            var suffixFree = new long[chunks + 1];
            var suffixTop = new long[chunks + 1][];
            suffixTop[chunks] = Array.Empty<long>();
            for(var c = chunks - 1; c >= 0; c--)
            {
                suffixFree[c] = suffixFree[c + 1] + chunkLengths[c];
                if(!unlimited)
                {
                    suffixTop[c] = TopPieces(chunkLengths[c], maxPiece, suffixTop[c + 1], k);
                }
            }

            var firstAligned = (lo + alignPages - 1) / alignPages * alignPages;
            for(var s = firstAligned; s < hi; s += alignPages)
            {
                var i = (int)(s - lo);
                var c = chunkOf[i];
                if(c < 0)
                {
                    continue;
                }
                var chunkEnd = chunkStarts[c] + chunkLengths[c];
                var firstLength = Math.Min(chunkEnd - i, maxPiece);
                if(firstLength >= pages)
                {
                    return new List<Segment> { ToSegment(s, pages) };
                }
                if(maxSegments == 1)
                {
                    continue;
                }
                var rest = chunkEnd - i - firstLength;
                bool fits;
                if(unlimited)
                {
                    fits = firstLength + rest + suffixFree[c + 1] >= pages;
                }
                else
                {
                    var top = TopPieces(rest, maxPiece, suffixTop[c + 1], k);
                    var total = firstLength;
                    foreach(var piece in top)
                    {
                        total += piece;
                    }
                    fits = total >= pages;
                }
                if(fits)
                {
                    return Witness(s, firstLength, i + (int)firstLength, chunkOf, chunkStarts, chunkLengths, lo, pages, maxPiece, maxSegments);
                }
            }
            return null;
        }

        // Spells out the placement for start s: the first run, then the largest pieces above it.
        private static List<Segment> Witness(long s, long firstLength, int restStart, int[] chunkOf, List<int> chunkStarts,
            List<int> chunkLengths, long lo, long pages, long maxPiece, long maxSegments)
        {
            var pieces = new List<(long Start, long Length)>();
            var c = chunkOf[(int)(s - lo)];
            AddPieces(pieces, lo + restStart, chunkStarts[c] + chunkLengths[c] - restStart, maxPiece);
            for(var d = c + 1; d < chunkStarts.Count; d++)
            {
                AddPieces(pieces, lo + chunkStarts[d], chunkLengths[d], maxPiece);
            }
            pieces.Sort((a, b) => b.Length.CompareTo(a.Length));
            var chosen = new List<Segment> { ToSegment(s, firstLength) };
            var total = firstLength;
            for(var i = 0; i < pieces.Count && chosen.Count < maxSegments && total < pages; i++)
            {
                var take = Math.Min(pieces[i].Length, pages - total);
                chosen.Add(ToSegment(pieces[i].Start, take));
                total += take;
            }
            chosen.Sort((a, b) => a.Address.CompareTo(b.Address));
            return chosen;
        }

        private static void AddPieces(List<(long Start, long Length)> pieces, long start, long length, long maxPiece)
        {
            while(length > 0)
            {
                var piece = Math.Min(length, maxPiece);
                pieces.Add((start, piece));
                start += piece;
                length -= piece;
            }
        }

        // The k largest pieces among a run of the given length (cut into max-size pieces) and an
        // already sorted list of pieces, largest first.
        private static long[] TopPieces(long length, long maxPiece, long[] sorted, int k)
        {
            var whole = maxPiece == long.MaxValue ? (length > 0 ? 1 : 0) : length / maxPiece;
            var remainder = maxPiece == long.MaxValue ? 0 : length % maxPiece;
            var result = new List<long>(k);
            var j = 0;
            while(result.Count < k)
            {
                var own = whole > 0 ? (maxPiece == long.MaxValue ? length : maxPiece) : remainder;
                var other = j < sorted.Length ? sorted[j] : 0;
                if(own == 0 && other == 0)
                {
                    break;
                }
                if(own >= other)
                {
                    result.Add(own);
                    if(whole > 0)
                    {
                        whole--;
                    }
                    else
                    {
                        remainder = 0;
                    }
                }
                else
                {
                    result.Add(other);
                    j++;
                }
            }
            return result.ToArray();
        }

        private static long PieceCount(long length, long maxPiece)
        {
            return maxPiece == long.MaxValue ? 1 : (length + maxPiece - 1) / maxPiece;
        }

        private static bool IsLine(long page, long boundaryPages)
        {
            return boundaryPages != 0 && page % boundaryPages == 0;
        }

        private static Segment ToSegment(long page, long pages)
        {
            return new Segment((ulong)page * Layouts.Page, (ulong)pages * Layouts.Page);
        }
    }
}
