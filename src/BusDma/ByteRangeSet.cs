using System.Collections.Generic;

namespace RenodeFrameAlloc.BusDma
{
    // A set of byte offsets (or addresses) kept as sorted, disjoint, non-adjacent [start, end)
    // intervals. The checker holds a few per loaded map; they stay short because syncs and
    // accesses cover whole stretches.
    internal sealed class ByteRangeSet
    {
        public ByteRangeSet()
        {
            starts = new List<ulong>();
            ends = new List<ulong>();
        }

        public bool IsEmpty => starts.Count == 0;

        // The intervals, in ascending order.
        public int Count => starts.Count;

        public ulong StartAt(int index) => starts[index];

        public ulong EndAt(int index) => ends[index];

        public void Clear()
        {
            starts.Clear();
            ends.Clear();
        }

        public void Add(ulong start, ulong end)
        {
            if(start >= end)
            {
                return;
            }
            // First interval that ends at or after start (it may touch or overlap the new one).
            var i = FirstEndingAtOrAfter(start);
            var j = i;
            while(j < starts.Count && starts[j] <= end)
            {
                if(starts[j] < start)
                {
                    start = starts[j];
                }
                if(ends[j] > end)
                {
                    end = ends[j];
                }
                j++;
            }
            starts.RemoveRange(i, j - i);
            ends.RemoveRange(i, j - i);
            starts.Insert(i, start);
            ends.Insert(i, end);
        }

        public void Remove(ulong start, ulong end)
        {
            if(start >= end)
            {
                return;
            }
            var i = FirstEndingAfter(start);
            while(i < starts.Count && starts[i] < end)
            {
                var s = starts[i];
                var e = ends[i];
                if(s < start && e > end)
                {
                    // Punch a hole in the middle.
                    ends[i] = start;
                    starts.Insert(i + 1, end);
                    ends.Insert(i + 1, e);
                    return;
                }
                if(s < start)
                {
                    ends[i] = start;
                    i++;
                }
                else if(e > end)
                {
                    starts[i] = end;
                    return;
                }
                else
                {
                    starts.RemoveAt(i);
                    ends.RemoveAt(i);
                }
            }
        }

        public bool Overlaps(ulong start, ulong end)
        {
            if(start >= end)
            {
                return false;
            }
            var i = FirstEndingAfter(start);
            return i < starts.Count && starts[i] < end;
        }

        // The first byte of [start, end) that is in the set, if any.
        public bool TryFirstOverlap(ulong start, ulong end, out ulong first)
        {
            var i = FirstEndingAfter(start);
            if(start < end && i < starts.Count && starts[i] < end)
            {
                first = starts[i] > start ? starts[i] : start;
                return true;
            }
            first = 0;
            return false;
        }

        // The first byte of [start, end) that is not in the set, if any.
        public bool TryFirstGap(ulong start, ulong end, out ulong first)
        {
            var i = FirstEndingAfter(start);
            var position = start;
            while(position < end)
            {
                if(i >= starts.Count || starts[i] > position)
                {
                    first = position;
                    return true;
                }
                position = ends[i];
                i++;
            }
            first = 0;
            return false;
        }

        // The interval holding value, if any.
        public bool TryGetInterval(ulong value, out ulong start, out ulong end)
        {
            var i = FirstEndingAfter(value);
            if(i < starts.Count && starts[i] <= value)
            {
                start = starts[i];
                end = ends[i];
                return true;
            }
            start = 0;
            end = 0;
            return false;
        }

        private int FirstEndingAtOrAfter(ulong value)
        {
            int lo = 0, hi = ends.Count;
            while(lo < hi)
            {
                var mid = (lo + hi) >> 1;
                if(ends[mid] < value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo;
        }

        private int FirstEndingAfter(ulong value)
        {
            int lo = 0, hi = ends.Count;
            while(lo < hi)
            {
                var mid = (lo + hi) >> 1;
                if(ends[mid] <= value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo;
        }

        private readonly List<ulong> starts;
        private readonly List<ulong> ends;
    }
}
