using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Frames
{
    // The exact search for a scattered request (MaxSegments > 1) that first fit could not
    // place: the fewest-segments placement rule of uvm_pglistalloc's constraints, in
    // O(P log P) for P free pieces of the window.
    //
    // Free memory in the window is cut into chunks (maximal free runs, cut at boundary lines) and
    // chunks into pieces (maxSegmentFrames long, from the chunk's start). A placement is a first
    // segment starting at an aligned frame, followed by pieces above it. For a first segment
    // starting at the lowest aligned frame of a chunk, the best completion is the largest pieces
    // above it; a later start in the same chunk never does better. So each chunk is judged once,
    // from the top down, with a Fenwick tree over piece lengths answering "sum of the k largest
    // pieces above here", and the lowest chunk that fits wins.
    internal static class ScatteredPlacement
    {
        // Writes the placement's segments (ascending) to destination and returns their count, or
        // -1 when none exists within maxSegments.
        public static int Find(FrameList list, int lowFrame, int highFrame, int n, long alignFrames, long boundaryFrames,
            long maxSegmentFrames, int maxSegments, Span<Segment> destination)
        {
            var pieceLimit = maxSegmentFrames > 0 ? maxSegmentFrames : long.MaxValue;
            var chunks = Chunks(list, lowFrame, highFrame, boundaryFrames);
            if(chunks.Count == 0)
            {
                return -1;
            }
            long totalPieces = 0;
            foreach(var chunk in chunks)
            {
                totalPieces += PieceCount(chunk.Length, pieceLimit);
            }
            var others = maxSegments - 1L;
            var unlimited = others >= totalPieces;

            // Every length a piece can have: the limit, each chunk's tail piece, each candidate
            // first segment's leftover tail.
            var firstStarts = new long[chunks.Count];
            var firstLengths = new long[chunks.Count];
            var values = new List<long>();
            if(pieceLimit != long.MaxValue)
            {
                values.Add(pieceLimit);
            }
            for(var c = 0; c < chunks.Count; c++)
            {
                var (start, length) = chunks[c];
                values.Add(Tail(length, pieceLimit));
                var s = list.Bitmap.AlignUpFrame(start, alignFrames);
                firstStarts[c] = s;
                firstLengths[c] = s < start + length ? Math.Min(Math.Min(start + length - s, pieceLimit), n) : 0;
                var rest = s < start + length ? start + length - s - firstLengths[c] : 0;
                values.Add(Tail(rest, pieceLimit));
            }
            var lengths = unlimited ? null : new PieceLengths(values);

            var best = -1;
            long suffixFree = 0;
            for(var c = chunks.Count - 1; c >= 0; c--)
            {
                var (start, length) = chunks[c];
                if(firstLengths[c] > 0)
                {
                    var rest = start + length - firstStarts[c] - firstLengths[c];
                    long completion;
                    if(unlimited)
                    {
                        completion = rest + suffixFree;
                    }
                    else
                    {
                        var whole = pieceLimit == long.MaxValue ? 0 : rest / pieceLimit;
                        var tail = Tail(rest, pieceLimit);
                        lengths.Add(pieceLimit, whole);
                        lengths.Add(tail, tail > 0 ? 1 : 0);
                        completion = lengths.SumOfLargest(others);
                        lengths.Add(pieceLimit, -whole);
                        lengths.Add(tail, tail > 0 ? -1 : 0);
                    }
                    if(firstLengths[c] + completion >= n)
                    {
                        best = c;
                    }
                }
                suffixFree += length;
                if(!unlimited)
                {
                    lengths.Add(pieceLimit, pieceLimit == long.MaxValue ? 0 : length / pieceLimit);
                    var tail = Tail(length, pieceLimit);
                    lengths.Add(tail, tail > 0 ? 1 : 0);
                }
            }
            return best < 0 ? -1 : Spell(list, chunks, best, firstStarts[best], firstLengths[best], n, pieceLimit, maxSegments, destination);
        }

        // The placement for the chosen first chunk: its first segment, then the largest pieces above.
        private static int Spell(FrameList list, List<(int Start, int Length)> chunks, int first, long firstStart, long firstLength,
            int n, long pieceLimit, int maxSegments, Span<Segment> destination)
        {
            var pieces = new List<(long Start, long Length)>();
            var chunkEnd = (long)chunks[first].Start + chunks[first].Length;
            AddPieces(pieces, firstStart + firstLength, chunkEnd - firstStart - firstLength, pieceLimit);
            for(var c = first + 1; c < chunks.Count; c++)
            {
                AddPieces(pieces, chunks[c].Start, chunks[c].Length, pieceLimit);
            }
            pieces.Sort((a, b) => b.Length != a.Length ? b.Length.CompareTo(a.Length) : a.Start.CompareTo(b.Start));
            var chosen = new List<(long Start, long Length)> { (firstStart, firstLength) };
            var total = firstLength;
            for(var i = 0; i < pieces.Count && chosen.Count < maxSegments && total < n; i++)
            {
                var take = Math.Min(pieces[i].Length, n - total);
                chosen.Add((pieces[i].Start, take));
                total += take;
            }
            if(total < n)
            {
                return -1;
            }
            chosen.Sort((a, b) => a.Start.CompareTo(b.Start));
            for(var i = 0; i < chosen.Count; i++)
            {
                destination[i] = new Segment(list.AddressOf((int)chosen[i].Start), (ulong)chosen[i].Length << list.PageShift);
            }
            return chosen.Count;
        }

        private static List<(int Start, int Length)> Chunks(FrameList list, int lowFrame, int highFrame, long boundaryFrames)
        {
            var chunks = new List<(int Start, int Length)>();
            var frame = list.Bitmap.FindFreeFrame(lowFrame, highFrame);
            while(frame >= 0)
            {
                var runEnd = Math.Min(list.Bitmap.ExtendUp(frame), highFrame);
                while(frame < runEnd)
                {
                    long end = runEnd;
                    if(boundaryFrames > 0)
                    {
                        end = Math.Min(end, list.Bitmap.BoundaryEnd(frame, boundaryFrames));
                    }
                    chunks.Add((frame, (int)(end - frame)));
                    frame = (int)end;
                }
                frame = runEnd < highFrame ? list.Bitmap.FindFreeFrame(runEnd, highFrame) : -1;
            }
            return chunks;
        }

        private static void AddPieces(List<(long Start, long Length)> pieces, long start, long length, long pieceLimit)
        {
            while(length > 0)
            {
                var piece = Math.Min(length, pieceLimit);
                pieces.Add((start, piece));
                start += piece;
                length -= piece;
            }
        }

        private static long Tail(long length, long pieceLimit)
        {
            return pieceLimit == long.MaxValue ? length : length % pieceLimit;
        }

        private static long PieceCount(long length, long pieceLimit)
        {
            return pieceLimit == long.MaxValue ? 1 : (length + pieceLimit - 1) / pieceLimit;
        }
    }
}
