using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Frames
{
    // A multiset of piece lengths drawn from a known set of values, answering "sum of the k
    // largest" in O(log V): Fenwick trees of counts and sums over the sorted distinct values.
    internal sealed class PieceLengths
    {
        public PieceLengths(List<long> possibleValues)
        {
            possibleValues.Sort();
            var distinct = new List<long>();
            foreach(var v in possibleValues)
            {
                if(v > 0 && (distinct.Count == 0 || distinct[distinct.Count - 1] != v))
                {
                    distinct.Add(v);
                }
            }
            values = distinct.ToArray();
            counts = new long[values.Length + 1];
            sums = new long[values.Length + 1];
        }

        // Adds (or with a negative count removes) count pieces of the given length; 0 is ignored.
        public void Add(long length, long count)
        {
            if(length <= 0 || count == 0)
            {
                return;
            }
            var index = Array.BinarySearch(values, length);
            if(index < 0)
            {
                throw new InvalidOperationException($"piece length {length} was not declared");
            }
            totalCount += count;
            totalSum += count * length;
            for(var i = index + 1; i <= values.Length; i += i & -i)
            {
                counts[i] += count;
                sums[i] += count * length;
            }
        }

        public long SumOfLargest(long k)
        {
            if(k >= totalCount)
            {
                return totalSum;
            }
            if(k <= 0)
            {
                return 0;
            }
            // Everything but the smallest (totalCount - k) pieces.
            var drop = totalCount - k;
            var position = 0;
            long droppedCount = 0;
            long droppedSum = 0;
            for(var step = HighestPowerOfTwo(values.Length); step > 0; step >>= 1)
            {
                var next = position + step;
                if(next <= values.Length && droppedCount + counts[next] <= drop)
                {
                    position = next;
                    droppedCount += counts[next];
                    droppedSum += sums[next];
                }
            }
            // The remaining drops all have the next value up.
            droppedSum += (drop - droppedCount) * values[position];
            return totalSum - droppedSum;
        }

        private static int HighestPowerOfTwo(int n)
        {
            var p = 1;
            while(p * 2 <= n)
            {
                p *= 2;
            }
            return n == 0 ? 0 : p;
        }

        private readonly long[] values;
        private readonly long[] counts;
        private readonly long[] sums;
        private long totalCount;
        private long totalSum;
    }
}
