using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // The TLB's entries: a fixed set of slots, the low Wired ones kept from random writes, the
    // random slot cycling from the top down to Wired as on MIPS. A stored entry replaces every
    // other valid entry it overlaps for some initiator, so a lookup is never ambiguous; lookups go
    // through TlbLookupIndex and nothing scans the slots except the store of a 2 MiB or global
    // entry (to find what it overlaps) and the invalidations.
    internal sealed class TlbEntryStore
    {
        internal TlbEntryStore(int entryCount, int defaultWired)
        {
            entries = new TlbEntry[entryCount];
            index = new TlbLookupIndex(entries);
            this.defaultWired = defaultWired;
            Reset();
        }

        internal int Count => entries.Length;

        // For the translation hit path, which reads them directly: one load fewer per lookup.
        // Entries change only through this store.
        internal TlbLookupIndex Index => index;

        internal TlbEntry[] Entries => entries;

        internal int Wired => wired;

        internal int Random => random;

        // Every slot invalid, wired as constructed, the random slot at the top.
        internal void Reset()
        {
            index.Clear();
            wired = defaultWired;
            random = entries.Length - 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Find(ulong virtualAddress, int initiatorId)
        {
            return index.Find(virtualAddress, initiatorId);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ref readonly TlbEntry At(int slot)
        {
            return ref entries[slot];
        }

        // Caller checks count (0..Count). Restarts the random slot at the top, as MIPS does.
        internal void SetWired(int count)
        {
            wired = count;
            random = entries.Length - 1;
        }

        // The slot the next random write takes, and moves on; caller checks Wired < Count.
        internal int TakeRandomSlot()
        {
            Debug.Assert(wired < entries.Length, "random slot requested with every entry wired");
            var slot = random;
            random = random - 1 < wired ? entries.Length - 1 : random - 1;
            return slot;
        }

        // Writes entry at slot after invalidating every other entry it overlaps. A 4 KiB entry
        // that is not global can only overlap entries that translate its own page for its own
        // initiator (any valid entry that intersects an aligned 4 KiB page contains it), which
        // the index finds at once; the rarer large or global writes scan all entries.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Store(int slot, TlbEntry entry)
        {
            if(entry.Valid)
            {
                if(entry.Size == TlbPageSize.Size4KiB && !entry.Global)
                {
                    var other = index.LookUp(entry.VirtualPage, entry.InitiatorId);
                    if(other >= 0 && other != slot)
                    {
                        index.Set(other, TlbEntry.Invalid);
                    }
                }
                else
                {
                    for(var i = 0; i < entries.Length; i++)
                    {
                        if(i != slot && entries[i].Overlaps(entry))
                        {
                            index.Set(i, TlbEntry.Invalid);
                        }
                    }
                }
            }
            index.Set(slot, entry.Valid ? entry : TlbEntry.Invalid);
            if(entry.Valid && !entry.Global)
            {
                index.Hint(slot, entry);
            }
            index.AssertConsistent();
        }

        // Invalidates the valid entries predicate selects; returns how many.
        internal int InvalidateWhere(Func<TlbEntry, bool> predicate)
        {
            var count = 0;
            for(var i = 0; i < entries.Length; i++)
            {
                if(entries[i].Valid && predicate(entries[i]))
                {
                    index.Set(i, TlbEntry.Invalid);
                    count++;
                }
            }
            return count;
        }

        private int wired;
        private int random;

        private readonly TlbEntry[] entries;
        private readonly TlbLookupIndex index;
        private readonly int defaultWired;
    }
}
