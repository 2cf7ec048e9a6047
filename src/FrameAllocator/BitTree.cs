using System;
using System.Diagnostics;
using System.Numerics;

namespace RenodeFrameAlloc.Frames
{
    // A bitmap with summary levels above it (bit i of level L+1 is set iff word i of level L is
    // non-zero), so the next set bit at or after any index is found in O(levels) word operations
    // (about log64 of the size) whatever the density. Used as the per-order summaries of a FrameBitmap.
    internal sealed class BitTree
    {
        public BitTree(int bitCount)
        {
            Count = bitCount;
            var depth = 1;
            for(var n = WordsFor(bitCount); n > 1; n = WordsFor(n))
            {
                depth++;
            }
            levels = new ulong[depth][];
            var bits = bitCount;
            for(var level = 0; level < depth; level++)
            {
                levels[level] = new ulong[Math.Max(1, WordsFor(bits))];
                bits = WordsFor(bits);
            }
        }

        public int Count { get; }

        public long MemoryBytes
        {
            get
            {
                long total = 0;
                foreach(var level in levels)
                {
                    total += level.Length * sizeof(ulong);
                }
                return total;
            }
        }

        public bool Get(int index)
        {
            return (levels[0][index >> 6] & (1UL << index)) != 0;
        }

        public void Set(int index)
        {
            Debug.Assert(index >= 0 && index < Count);
            for(var level = 0; level < levels.Length; level++)
            {
                ref var word = ref levels[level][index >> 6];
                var wasEmpty = word == 0;
                word |= 1UL << index;
                if(!wasEmpty)
                {
                    return;
                }
                index >>= 6;
            }
        }

        public void Clear(int index)
        {
            Debug.Assert(index >= 0 && index < Count);
            for(var level = 0; level < levels.Length; level++)
            {
                ref var word = ref levels[level][index >> 6];
                word &= ~(1UL << index);
                if(word != 0)
                {
                    return;
                }
                index >>= 6;
            }
        }

        // The smallest set index >= from, or -1 when there is none.
        public int FindNext(int from)
        {
            if(from < 0)
            {
                from = 0;
            }
            if(from >= Count)
            {
                return -1;
            }
            var level = 0;
            var index = from;
            while(true)
            {
                var row = levels[level];
                var w = index >> 6;
                if(w >= row.Length)
                {
                    return -1;
                }
                var word = row[w] & (~0UL << (index & 63));
                if(word != 0)
                {
                    index = (w << 6) + BitOperations.TrailingZeroCount(word);
                    break;
                }
                level++;
                if(level == levels.Length)
                {
                    return -1;
                }
                index = w + 1;
            }
            while(level > 0)
            {
                level--;
                index = (index << 6) + BitOperations.TrailingZeroCount(levels[level][index]);
            }
            return index < Count ? index : -1;
        }

        private static int WordsFor(int bits)
        {
            return (int)(((long)bits + 63) >> 6);
        }

        private readonly ulong[][] levels;
    }
}
