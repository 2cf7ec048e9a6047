using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // Finds the entry that translates an address for an initiator without scanning the entries.
    // A direct-mapped table of hints, (initiator, 4 KiB page) -> entry index, sixteen per entry
    // (256..65536), sits in front of an exact index (hash tables keyed by page and initiator, per
    // page size, global entries apart). A hint is only a guess: the entry it names is checked
    // before use, and since no two valid entries ever translate the same address for the same
    // initiator (TlbEntryStore replaces any overlapping entry), an entry that checks out is the
    // answer; hints never need invalidating and may be stale or empty. The index is exact: Set,
    // the only way entries change, keeps it in step. A hit costs a hint probe and an entry check;
    // a colliding hint adds up to four hash lookups.
    internal sealed class TlbLookupIndex
    {
        // entries: the store's array, which this index changes only through Set.
        internal TlbLookupIndex(TlbEntry[] entries)
        {
            this.entries = entries;
            // Sixteen hints per entry keep conflicts rare for any working set the TLB can hold (with
            // four, a DMA alternating between two buffers' pages collided often enough to cost a
            // quarter of its translation time); at most 256 KiB, for a 4096-entry TLB.
            hintShift = 64 - Math.Clamp(BitOperations.Log2((uint)entries.Length * 16 - 1) + 1, MinLookupHintBits, MaxLookupHintBits);
            lookupHints = new int[1 << (64 - hintShift)];
            smallPages = new TlbPageTable(entries.Length);
            largePages = new TlbPageTable(entries.Length);
            globalSmallPages = new TlbPageTable(entries.Length);
            globalLargePages = new TlbPageTable(entries.Length);
        }

        // Index of the valid entry that translates virtualAddress for initiatorId, or -1.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Find(ulong virtualAddress, int initiatorId)
        {
            var index = ProbeHint(lookupHints, hintShift, entries, virtualAddress, initiatorId);
            return index >= 0 ? index : FindAndHint(virtualAddress, initiatorId);
        }

        // The hint probe alone, over the arrays (Hints, HintShift and the entries) as its caller
        // holds them: the index of the entry the hint names if that entry translates the address
        // (entries never overlap, so it is the answer), else -1, and then FindAndHint. The model's
        // hit path keeps the arrays in its own fields: one dependent load fewer per hit than
        // through this object, which showed as 5-8% of a hit (bench/Devices.Bench/README.md).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int ProbeHint(int[] hints, int hintShift, TlbEntry[] entries, ulong virtualAddress, int initiatorId)
        {
            var hint = hints[HintSlot(virtualAddress, initiatorId, hintShift)];
            return entries[hint].Translates(virtualAddress, initiatorId) ? hint : -1;
        }

        // After a stale or empty hint: the exact index, and the hint pointed at what it found.
        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        internal int FindAndHint(ulong virtualAddress, int initiatorId)
        {
            var index = LookUp(virtualAddress, initiatorId);
            if(index >= 0)
            {
                lookupHints[HintSlot(virtualAddress, initiatorId, hintShift)] = index;
            }
            return index;
        }

        internal int[] Hints => lookupHints;

        internal int HintShift => hintShift;

        // The exact index: at most one entry can match, in one of four tables.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal int LookUp(ulong virtualAddress, int initiatorId)
        {
            var smallPage = virtualAddress & ~SmallPageMask;
            var largePage = virtualAddress & ~LargePageMask;
            var ownId = (uint)initiatorId <= SoftwareManagedTlbModel.MaxInitiatorId;
            int index;
            if(ownId && smallPages.TryGetValue(smallPage | (uint)initiatorId, out index))
            {
                return index;
            }
            if(globalSmallPages.Count > 0 && globalSmallPages.TryGetValue(smallPage, out index))
            {
                return index;
            }
            if(ownId && largePages.Count > 0 && largePages.TryGetValue(largePage | (uint)initiatorId, out index))
            {
                return index;
            }
            if(globalLargePages.Count > 0 && globalLargePages.TryGetValue(largePage, out index))
            {
                return index;
            }
            return -1;
        }

        // Points the hint of entry's (first) page at index, so its next lookup skips the hash tables.
        internal void Hint(int index, TlbEntry entry)
        {
            lookupHints[HintSlot(entry.VirtualPage, entry.InitiatorId, hintShift)] = index;
        }

        // The only place entries change: keeps the exact index in step.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Set(int index, TlbEntry entry)
        {
            var old = entries[index];
            if(old.Valid)
            {
                IndexTableFor(old).Remove(IndexKey(old));
            }
            entries[index] = entry;
            if(entry.Valid)
            {
                IndexTableFor(entry).Set(IndexKey(entry), index);
            }
        }

        // Every entry invalid, the index empty (hints may stay: they are checked before use).
        internal void Clear()
        {
            Array.Clear(entries);
            smallPages.Clear();
            largePages.Clear();
            globalSmallPages.Clear();
            globalLargePages.Clear();
        }

        [Conditional("DEBUG")]
        internal void AssertConsistent()
        {
            if(entries.Length > 256)
            {
                // Quadratic: only worth it for the sizes tests use.
                return;
            }
            var valid = 0;
            for(var i = 0; i < entries.Length; i++)
            {
                if(!entries[i].Valid)
                {
                    continue;
                }
                valid++;
                Debug.Assert(IndexTableFor(entries[i]).TryGetValue(IndexKey(entries[i]), out var indexed) && indexed == i, $"TLB entry {i} is not indexed");
                for(var j = i + 1; j < entries.Length; j++)
                {
                    Debug.Assert(!entries[i].Overlaps(entries[j]), $"TLB entries {i} and {j} overlap");
                }
            }
            Debug.Assert(valid == smallPages.Count + largePages.Count + globalSmallPages.Count + globalLargePages.Count, "the TLB index holds stale keys");
        }

        // Fibonacci hashing: the consecutive pages of a DMA buffer spread over all slots.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int HintSlot(ulong virtualAddress, int initiatorId, int hintShift)
        {
            return (int)((((virtualAddress >> 12) ^ ((ulong)(uint)initiatorId << 40)) * 0x9E3779B97F4A7C15UL) >> hintShift);
        }

        private TlbPageTable IndexTableFor(TlbEntry entry)
        {
            if(entry.Size == TlbPageSize.Size2MiB)
            {
                return entry.Global ? globalLargePages : largePages;
            }
            return entry.Global ? globalSmallPages : smallPages;
        }

        private static ulong IndexKey(TlbEntry entry)
        {
            // Page addresses have their low 12 bits clear: the id fits there.
            return entry.Global ? entry.VirtualPage : entry.VirtualPage | (uint)entry.InitiatorId;
        }

        private readonly TlbEntry[] entries;
        // Entry indices, only ever used after checking the entry (see the class comment).
        private readonly int[] lookupHints;
        private readonly int hintShift;
        // The exact index, derived from entries: page | id for per-initiator entries, page alone
        // for global ones, by page size.
        private readonly TlbPageTable smallPages;
        private readonly TlbPageTable largePages;
        private readonly TlbPageTable globalSmallPages;
        private readonly TlbPageTable globalLargePages;

        private const ulong SmallPageMask = (1UL << (int)TlbPageSize.Size4KiB) - 1;
        private const ulong LargePageMask = (1UL << (int)TlbPageSize.Size2MiB) - 1;
        private const int MinLookupHintBits = 8;
        private const int MaxLookupHintBits = 16;
    }
}
