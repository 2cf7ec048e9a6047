using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // TlbLookupIndex's exact index for one kind of entry: page key -> entry index, open addressing
    // with linear probing and backward-shift deletion, at most half full (it never holds more keys
    // than the TLB has entries). In place of Dictionary<ulong, int> because a DMA transfer through
    // the TLB looks it up, removes from it and inserts into it on every TSB refill, and this one is
    // compiled optimized from the first call (Dictionary's generic code starts unoptimized in
    // Renode's tiered JIT and stayed so for seconds of a benchmark: bench/README.md).
    internal sealed class TlbPageTable
    {
        // capacity: the most keys it will ever hold.
        internal TlbPageTable(int capacity)
        {
            var bits = Math.Max(MinBits, BitOperations.Log2((uint)Math.Max(1, capacity) * 2 - 1) + 1);
            keys = new ulong[1 << bits];
            values = new int[1 << bits];
            mask = (1 << bits) - 1;
            shift = 64 - bits;
        }

        internal int Count => count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal bool TryGetValue(ulong key, out int value)
        {
            for(var slot = SlotOf(key); ; slot = (slot + 1) & mask)
            {
                var stored = values[slot];
                if(stored == 0)
                {
                    value = -1;
                    return false;
                }
                if(keys[slot] == key)
                {
                    value = stored - 1;
                    return true;
                }
            }
        }

        // Adds key or replaces its value; value >= 0. The caller keeps Count within the capacity.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Set(ulong key, int value)
        {
            var slot = SlotOf(key);
            while(values[slot] != 0 && keys[slot] != key)
            {
                slot = (slot + 1) & mask;
            }
            if(values[slot] == 0)
            {
                count++;
            }
            keys[slot] = key;
            values[slot] = value + 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal bool Remove(ulong key)
        {
            var hole = SlotOf(key);
            while(true)
            {
                if(values[hole] == 0)
                {
                    return false;
                }
                if(keys[hole] == key)
                {
                    break;
                }
                hole = (hole + 1) & mask;
            }
            // Backward shift: move up every later key of the probe run that may sit in the hole
            // (its home slot is not cyclically between the hole and where it is).
            for(var next = (hole + 1) & mask; values[next] != 0; next = (next + 1) & mask)
            {
                var home = SlotOf(keys[next]);
                if(((next - home) & mask) >= ((next - hole) & mask))
                {
                    keys[hole] = keys[next];
                    values[hole] = values[next];
                    hole = next;
                }
            }
            values[hole] = 0;
            count--;
            return true;
        }

        internal void Clear()
        {
            Array.Clear(values);
            count = 0;
        }

        // Fibonacci hashing: consecutive pages spread over the table.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int SlotOf(ulong key)
        {
            return (int)((key * 0x9E3779B97F4A7C15UL) >> shift);
        }

        private int count;

        private readonly ulong[] keys;
        // The entry index + 1; 0 marks an empty slot.
        private readonly int[] values;
        private readonly int mask;
        private readonly int shift;

        private const int MinBits = 4;
    }
}
