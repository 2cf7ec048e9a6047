using System;
using System.Diagnostics;

namespace RenodeFrameAlloc.Frames
{
    // Debug builds check every successful allocation against what it promised, as
    // vm_phys_alloc_contig checks its result before returning it: each segment inside the window
    // and the serving list's range, page aligned, the first one aligned, none crossing a boundary
    // or longer than the segment size limit, no more segments than allowed, ascending, split only
    // where a limit forces it, the right number of frames, and wired exactly as returned.
    internal static class PlacementCheck
    {
        // A single frame list handed out under c.
        [Conditional("DEBUG")]
        public static void VerifyFrame(FrameList list, Segment frame, in AllocationConstraints c)
        {
            // On the stack: the checked paths promise to allocate nothing, in debug builds too.
            Span<Segment> one = stackalloc Segment[1];
            one[0] = frame;
            Verify(list, one, 1, in c, 1);
        }

        // segments: what list handed out for a request of pages of its pages under c, in at most
        // maxSegments segments.
        [Conditional("DEBUG")]
        public static void Verify(FrameList list, ReadOnlySpan<Segment> segments, ulong pages, in AllocationConstraints c, int maxSegments)
        {
            Debug.Assert(segments.Length >= 1 && segments.Length <= maxSegments,
                $"{segments.Length} segments returned, the limit is {maxSegments} ({c})");
            ulong total = 0;
            for(var i = 0; i < segments.Length; i++)
            {
                var s = segments[i];
                Debug.Assert(s.Length != 0 && (s.Address & (list.PageSize - 1)) == 0 && (s.Length & (list.PageSize - 1)) == 0,
                    $"segment {s} is not whole pages of 0x{list.PageSize:X}");
                Debug.Assert(s.Address >= c.Low && s.End <= c.High,
                    $"segment {s} outside the window [0x{c.Low:X}, 0x{c.High:X})");
                Debug.Assert(s.Address >= list.Start && s.End <= list.End,
                    $"segment {s} outside range {list.Range.Name} [0x{list.Start:X}, 0x{list.End:X})");
                Debug.Assert(i != 0 || c.Alignment == 0 || (s.Address & (c.Alignment - 1)) == 0,
                    $"first segment {s} not aligned to 0x{c.Alignment:X}");
                Debug.Assert(c.Boundary == 0 || s.Address / c.Boundary == (s.End - 1) / c.Boundary,
                    $"segment {s} crosses a boundary of 0x{c.Boundary:X}");
                Debug.Assert(c.MaxSegmentSize == 0 || s.Length <= c.MaxSegmentSize,
                    $"segment {s} of 0x{s.Length:X} bytes, longer than the limit 0x{c.MaxSegmentSize:X}");
                if(i > 0)
                {
                    var previous = segments[i - 1];
                    Debug.Assert(previous.End <= s.Address, $"segments {previous} and {s} not ascending or overlapping");
                    Debug.Assert(previous.End != s.Address || (c.Boundary != 0 && previous.End % c.Boundary == 0)
                        || (c.MaxSegmentSize != 0 && previous.Length + list.PageSize > c.MaxSegmentSize),
                        $"adjacent segments {previous} and {s} split where no boundary (0x{c.Boundary:X}) or segment size limit (0x{c.MaxSegmentSize:X}) forces it");
                }
                var error = list.CheckWiredSegment(list.FrameOf(s.Address), (int)(s.Length >> list.PageShift), out var partOfMulti);
                Debug.Assert(error == AllocationError.None && partOfMulti == (segments.Length > 1),
                    $"segment {s} is not wired as returned ({error}, part of several: {partOfMulti}, of {segments.Length} segments)");
                total += s.Length;
            }
            Debug.Assert(total == pages << list.PageShift,
                $"0x{total:X} bytes returned for a request of {pages} pages of 0x{list.PageSize:X}");
        }
    }
}
