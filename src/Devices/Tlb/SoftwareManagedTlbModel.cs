using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // A software-managed IOMMU TLB in the MIPS manner: a fixed set of entries that software
    // writes one at a time (indexed, or at a round-robin "random" slot above the wired ones),
    // probes, reads back and invalidates. A translation that no entry provides, or that an entry
    // forbids, is a fault: it is latched for software, the interrupt is raised and the requesting
    // initiator is stalled until software resumes (after refilling) or aborts it. An initiator
    // that cannot wait has its access dropped instead.
    //
    // Optional assist in the SPARC64 manner: a direct-mapped TSB in guest memory
    // (TsbEntryFormat). On a miss the TLB reads the TSB slot for the address and, when its tag
    // matches, loads the entry into a non-wired slot and carries on without an interrupt.
    //
    // Faults: one fault is latched (visible to software) at a time. Further faults of requesters
    // that can wait queue behind it, in arrival order, each keeping its requester stalled. Resume
    // or abort completes the latched fault; the queue head is then re-checked against the TLB
    // (and TSB): if it now translates (the refill also covered it), its requester is resumed
    // without troubling software, otherwise it becomes the latched fault and the interrupt stays
    // up. A fault of an initiator that cannot wait is latched only if nothing is latched;
    // otherwise it is counted and flagged as Overrun (logged once until software clears Overrun).
    //
    // Lookup: a direct-mapped table of hints, (initiator, 4 KiB page) -> entry index, sixteen per
    // entry (256..65536), sits in front of an exact index (hash tables keyed by page and
    // initiator, per page size, global entries apart). A hint is only a guess: the entry it names
    // is checked before use, and since no two valid entries ever translate the same address for
    // the same initiator (a write replaces any overlapping entry), an entry that checks out is the
    // answer; hints never need invalidating and may be stale or empty. The index is exact and is
    // kept in step by the one method that changes entries. A hit costs a hint probe and an entry
    // check; a colliding hint adds up to four hash lookups; nothing scans the entries except a
    // write of a 2 MiB or global entry (to find what it overlaps).
    //
    // Not thread-safe: like every Renode peripheral it is used from the machine's own thread.
    public sealed class SoftwareManagedTlbModel : IIoTranslator
    {
        // entryCount: number of entries (1..MaxEntryCount). wiredEntries: entries [0, wired) that
        // random writes and the TSB assist never replace (also the value Reset restores).
        // memory: guest physical memory for the TSB assist (null: no assist). host: the log and
        // interrupt line 0 (null: none). Throws ArgumentOutOfRangeException on a bad count.
        public SoftwareManagedTlbModel(int entryCount, int wiredEntries = 0, IPhysicalMemory memory = null, IDeviceHost host = null)
        {
            if(entryCount < 1 || entryCount > MaxEntryCount)
            {
                throw new ArgumentOutOfRangeException(nameof(entryCount), $"must be in [1, {MaxEntryCount}]");
            }
            if(wiredEntries < 0 || wiredEntries > entryCount)
            {
                throw new ArgumentOutOfRangeException(nameof(wiredEntries), $"must be in [0, {entryCount}]");
            }
            entries = new TlbEntry[entryCount];
            defaultWired = wiredEntries;
            this.memory = memory;
            this.host = host;
            // Sixteen hints per entry keep conflicts rare for any working set the TLB can hold (with
            // four, a DMA alternating between two buffers' pages collided often enough to cost a
            // quarter of its translation time); at most 256 KiB, for a 4096-entry TLB.
            hintShift = 64 - Math.Clamp(BitOperations.Log2((uint)entryCount * 16 - 1) + 1, MinLookupHintBits, MaxLookupHintBits);
            lookupHints = new int[1 << (64 - hintShift)];
            smallPages = new Dictionary<ulong, int>();
            largePages = new Dictionary<ulong, int>();
            globalSmallPages = new Dictionary<ulong, int>();
            globalLargePages = new Dictionary<ulong, int>();
            pending = new List<PendingFault>();
            ResetState();
        }

        public int EntryCount => entries.Length;

        public int Wired => wired;

        // The slot the next random write (or TSB load) replaces.
        public int RandomIndex => random;

        public bool TsbAssistAvailable => memory != null;

        public bool TsbEnabled => tsbEnabled;

        public ulong TsbBase => tsbBase;

        public int TsbLog2Entries => tsbLog2Entries;

        public ulong Hits => hits;

        public ulong Misses => misses;

        // Entries software wrote (valid ones, by indexed or random write).
        public ulong Refills => refills;

        // Misses the TSB assist resolved without an interrupt.
        public ulong TsbRefills => tsbRefills;

        // Faults that reached software (latched, queued or overrun).
        public ulong Faults => faults;

        public bool HasLatchedFault => pending.Count > 0;

        // The fault software sees; default (cause None) when none is latched.
        public TlbFault LatchedFault => pending.Count > 0 ? pending[0].Fault : default;

        // Stalled faults queued behind the latched one.
        public int QueuedFaults => Math.Max(0, pending.Count - 1);

        public TlbStatus Status => stickyStatus | (pending.Count > 0 ? TlbStatus.FaultPending : TlbStatus.None);

        // Which Status bits drive the interrupt line (reset: all).
        public TlbStatus InterruptEnable
        {
            get => interruptEnable;
            set
            {
                interruptEnable = value & TlbStatus.All;
                UpdateInterrupt();
            }
        }

        public bool InterruptAsserted => interruptAsserted;

        // Back to the reset state: all entries invalid, wired as constructed, TSB off, counters
        // and sticky status cleared, interrupts enabled. Stalled requesters are aborted (their
        // devices would otherwise wait for ever).
        public void Reset()
        {
            var stalled = new List<ITranslationRequester>();
            foreach(var fault in pending)
            {
                if(fault.Requester != null)
                {
                    stalled.Add(fault.Requester);
                }
            }
            ResetState();
            UpdateInterrupt();
            foreach(var requester in stalled)
            {
                requester.TranslationAborted();
            }
        }

        // Replaces the memory the TSB assist reads, e.g. once the host rebuilt its bus view after a
        // snapshot load. A TLB built without memory (no assist) stays without.
        public void RebindMemory(IPhysicalMemory memory)
        {
            if(this.memory != null)
            {
                this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
            }
        }

        public TlbEntry GetEntry(int index)
        {
            return index >= 0 && index < entries.Length ? entries[index] : TlbEntry.Invalid;
        }

        // Sets how many low entries are wired (0..EntryCount) and restarts the random index at the
        // top, as MIPS does. On a bad value: CommandError, nothing changes, false.
        public bool SetWired(int count)
        {
            if(count < 0 || count > entries.Length)
            {
                return Reject($"wired count {count} is outside [0, {entries.Length}]");
            }
            wired = count;
            random = entries.Length - 1;
            return true;
        }

        // Writes entry into slot index (wired slots included). A valid entry must be well formed
        // (page addresses aligned to its size, id <= MaxInitiatorId); writing an invalid entry
        // clears the slot. Any other valid entry overlapping the new one for some initiator is
        // invalidated, so a lookup is never ambiguous. On bad input: CommandError, no change, false.
        public bool WriteIndexed(int index, TlbEntry entry)
        {
            if(index < 0 || index >= entries.Length)
            {
                return Reject($"entry index {index} is outside [0, {entries.Length})");
            }
            if(entry.Valid && !entry.IsWellFormed)
            {
                return Reject($"malformed entry {entry}: page addresses must be aligned to the page size and the id at most {MaxInitiatorId}");
            }
            Store(index, entry);
            if(entry.Valid)
            {
                refills++;
            }
            return true;
        }

        // Writes entry into the random slot and advances it (never a wired slot). Returns the slot
        // used, or -1 with CommandError when the entry is malformed or every slot is wired.
        public int WriteRandom(TlbEntry entry)
        {
            if(wired >= entries.Length)
            {
                Reject("random write with every entry wired");
                return -1;
            }
            if(entry.Valid && !entry.IsWellFormed)
            {
                Reject($"malformed entry {entry}: page addresses must be aligned to the page size and the id at most {MaxInitiatorId}");
                return -1;
            }
            var index = TakeRandomSlot();
            Store(index, entry);
            if(entry.Valid)
            {
                refills++;
            }
            return index;
        }

        // Index of the valid entry that translates virtualAddress for initiatorId, or -1.
        // No side effects (no counters, no TSB).
        public int Probe(ulong virtualAddress, int initiatorId)
        {
            return Find(virtualAddress, initiatorId);
        }

        // Looks a translation up as Translate would on a hit, with no side effects (no counters,
        // no TSB, no fault). For debuggers and address-decoding queries.
        public bool TryPeek(ulong virtualAddress, int initiatorId, out ulong physicalAddress, out TlbEntry entry)
        {
            var index = Find(virtualAddress, initiatorId);
            if(index < 0)
            {
                physicalAddress = 0;
                entry = TlbEntry.Invalid;
                return false;
            }
            entry = entries[index];
            physicalAddress = entry.PhysicalPage | (virtualAddress & (entry.PageBytes - 1));
            return true;
        }

        // Invalidates every entry, wired ones included. Returns how many were valid.
        public int InvalidateAll()
        {
            return InvalidateWhere(e => true);
        }

        // Invalidates the non-global entries of initiatorId (global ones are shared: use
        // InvalidatePage or InvalidateAll). Returns how many were invalidated.
        public int InvalidateInitiator(int initiatorId)
        {
            return InvalidateWhere(e => !e.Global && e.InitiatorId == initiatorId);
        }

        // Invalidates every entry that translates virtualAddress for initiatorId, global ones
        // included. Returns how many were invalidated.
        public int InvalidatePage(ulong virtualAddress, int initiatorId)
        {
            return InvalidateWhere(e => e.Translates(virtualAddress, initiatorId));
        }

        // Completes the latched fault by letting its requester retry (call after refilling the
        // entry). Returns false with CommandError when no fault is latched.
        public bool Resume()
        {
            return CompleteLatchedFault(true);
        }

        // Completes the latched fault by aborting its requester's transfer. Returns false with
        // CommandError when no fault is latched.
        public bool Abort()
        {
            return CompleteLatchedFault(false);
        }

        // Clears the sticky Status bits set in bits (FaultPending is not sticky: it follows the latch).
        public void AcknowledgeStatus(TlbStatus bits)
        {
            stickyStatus &= ~(bits & ~TlbStatus.FaultPending);
            UpdateInterrupt();
        }

        public void ResetCounters()
        {
            hits = 0;
            misses = 0;
            refills = 0;
            tsbRefills = 0;
            faults = 0;
        }

        // Points the TSB assist at (1 << log2Entries) entries of TsbEntryFormat.EntryBytes at
        // baseAddress and turns it on or off. The base must be 16-byte aligned, log2Entries in
        // [0, MaxTsbLog2Entries], the table inside the address space, and an enabled TSB needs
        // memory. On bad input: CommandError, the assist is turned off, false.
        public bool ConfigureTsb(ulong baseAddress, int log2Entries, bool enabled)
        {
            string problem = null;
            if(log2Entries < 0 || log2Entries > MaxTsbLog2Entries)
            {
                problem = $"TSB size 2^{log2Entries} entries is outside [2^0, 2^{MaxTsbLog2Entries}]";
            }
            else if((baseAddress & (TsbEntryFormat.EntryBytes - 1)) != 0)
            {
                problem = $"TSB base 0x{baseAddress:X} is not 16-byte aligned";
            }
            else if(baseAddress + ((ulong)TsbEntryFormat.EntryBytes << log2Entries) - 1 < baseAddress)
            {
                problem = $"TSB at 0x{baseAddress:X} wraps around the address space";
            }
            else if(enabled && memory == null)
            {
                problem = "TSB enabled but this TLB has no memory to read it from";
            }
            if(problem != null)
            {
                tsbEnabled = false;
                return Reject(problem);
            }
            tsbBase = baseAddress;
            tsbLog2Entries = log2Entries;
            tsbEnabled = enabled;
            return true;
        }

        // Records a guest programming error the register file found (unknown register, bad
        // command): sets CommandError, logs message, updates the interrupt.
        public void ReportProgrammingError(string message)
        {
            Reject(message);
        }

        // IIoTranslator: see the contract there. Hit path: one hint probe and a permission check.
        public TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
            out ulong physicalAddress, out ulong bytesInPage)
        {
            var index = Find(virtualAddress, initiatorId);
            if(index < 0)
            {
                return TranslateMiss(virtualAddress, initiatorId, access, waiter, out physicalAddress, out bytesInPage);
            }
            ref readonly var entry = ref entries[index];
            if(!entry.Allows(access))
            {
                return Fault(new TlbFault(virtualAddress, initiatorId, access, TlbFaultCause.Permission, waiter != null), waiter,
                    out physicalAddress, out bytesInPage);
            }
            hits++;
            var offset = virtualAddress & (entry.PageBytes - 1);
            physicalAddress = entry.PhysicalPage | offset;
            bytesInPage = entry.PageBytes - offset;
            return TranslationStatus.Ok;
        }

        public const int MaxInitiatorId = 0xFFF;
        // The one interrupt line, as numbered for IDeviceHost.SetLine.
        public const int InterruptLine = 0;
        public const int MaxEntryCount = 4096;
        public const int MaxTsbLog2Entries = 20;
        // Bounds the queue when requesters misbehave; beyond it faults are dropped as Overrun.
        public const int MaxStalledRequesters = 256;

        private TranslationStatus TranslateMiss(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
            out ulong physicalAddress, out ulong bytesInPage)
        {
            misses++;
            if(!TryLoadFromTsb(virtualAddress, initiatorId, out var entry))
            {
                return Fault(new TlbFault(virtualAddress, initiatorId, access, TlbFaultCause.Miss, waiter != null), waiter,
                    out physicalAddress, out bytesInPage);
            }
            if(!entry.Allows(access))
            {
                return Fault(new TlbFault(virtualAddress, initiatorId, access, TlbFaultCause.Permission, waiter != null), waiter,
                    out physicalAddress, out bytesInPage);
            }
            var offset = virtualAddress & (entry.PageBytes - 1);
            physicalAddress = entry.PhysicalPage | offset;
            bytesInPage = entry.PageBytes - offset;
            return TranslationStatus.Ok;
        }

        private void ResetState()
        {
            Array.Clear(entries);
            smallPages.Clear();
            largePages.Clear();
            globalSmallPages.Clear();
            globalLargePages.Clear();
            wired = defaultWired;
            random = entries.Length - 1;
            pending.Clear();
            stickyStatus = TlbStatus.None;
            interruptEnable = TlbStatus.All;
            tsbEnabled = false;
            tsbBase = 0;
            tsbLog2Entries = 0;
            ResetCounters();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Find(ulong virtualAddress, int initiatorId)
        {
            ref var hint = ref lookupHints[HintSlot(virtualAddress, initiatorId)];
            // Entries never overlap, so an entry that translates the address is the answer.
            if(entries[hint].Translates(virtualAddress, initiatorId))
            {
                return hint;
            }
            var index = LookUpIndex(virtualAddress, initiatorId);
            if(index >= 0)
            {
                hint = index;
            }
            return index;
        }

        // The exact index: at most one entry can match, in one of four tables.
        private int LookUpIndex(ulong virtualAddress, int initiatorId)
        {
            var smallPage = virtualAddress & ~SmallPageMask;
            var largePage = virtualAddress & ~LargePageMask;
            var ownId = (uint)initiatorId <= MaxInitiatorId;
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

        // Fibonacci hashing: the consecutive pages of a DMA buffer spread over all slots.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int HintSlot(ulong virtualAddress, int initiatorId)
        {
            return (int)((((virtualAddress >> 12) ^ ((ulong)(uint)initiatorId << 40)) * 0x9E3779B97F4A7C15UL) >> hintShift);
        }

        // Writes entry at index after invalidating every other entry it overlaps. A 4 KiB entry
        // that is not global can only overlap entries that translate its own page for its own
        // initiator (any valid entry that intersects an aligned 4 KiB page contains it), which
        // the index finds at once; the rarer large or global writes scan all entries.
        private void Store(int index, TlbEntry entry)
        {
            if(entry.Valid)
            {
                if(entry.Size == TlbPageSize.Size4KiB && !entry.Global)
                {
                    var other = LookUpIndex(entry.VirtualPage, entry.InitiatorId);
                    if(other >= 0 && other != index)
                    {
                        SetEntry(other, TlbEntry.Invalid);
                    }
                }
                else
                {
                    for(var i = 0; i < entries.Length; i++)
                    {
                        if(i != index && entries[i].Overlaps(entry))
                        {
                            SetEntry(i, TlbEntry.Invalid);
                        }
                    }
                }
            }
            SetEntry(index, entry.Valid ? entry : TlbEntry.Invalid);
            if(entry.Valid && !entry.Global)
            {
                // The next lookup of the entry's (first) page finds it without the index.
                lookupHints[HintSlot(entry.VirtualPage, entry.InitiatorId)] = index;
            }
            AssertConsistent();
        }

        // The only place entries change: keeps the exact index in step.
        private void SetEntry(int index, TlbEntry entry)
        {
            var old = entries[index];
            if(old.Valid)
            {
                IndexTableFor(old).Remove(IndexKey(old));
            }
            entries[index] = entry;
            if(entry.Valid)
            {
                IndexTableFor(entry)[IndexKey(entry)] = index;
            }
        }

        private Dictionary<ulong, int> IndexTableFor(TlbEntry entry)
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

        private int TakeRandomSlot()
        {
            Debug.Assert(wired < entries.Length, "random slot requested with every entry wired");
            var index = random;
            random = random - 1 < wired ? entries.Length - 1 : random - 1;
            return index;
        }

        private int InvalidateWhere(Func<TlbEntry, bool> predicate)
        {
            var count = 0;
            for(var i = 0; i < entries.Length; i++)
            {
                if(entries[i].Valid && predicate(entries[i]))
                {
                    SetEntry(i, TlbEntry.Invalid);
                    count++;
                }
            }
            return count;
        }

        // The TSB assist: reads the 4 KiB slot, then the 2 MiB slot for virtualAddress. On a tag
        // match the entry is loaded into the random slot (unless every slot is wired, in which case
        // it is used for this one translation only).
        private bool TryLoadFromTsb(ulong virtualAddress, int initiatorId, out TlbEntry entry)
        {
            if(!tsbEnabled)
            {
                entry = TlbEntry.Invalid;
                return false;
            }
            if(!TryReadTsb(virtualAddress, initiatorId, TlbPageSize.Size4KiB, out entry)
                && !TryReadTsb(virtualAddress, initiatorId, TlbPageSize.Size2MiB, out entry))
            {
                return false;
            }
            tsbRefills++;
            if(wired < entries.Length)
            {
                Store(TakeRandomSlot(), entry);
            }
            return true;
        }

        private bool TryReadTsb(ulong virtualAddress, int initiatorId, TlbPageSize size, out TlbEntry entry)
        {
            var address = tsbBase + TsbEntryFormat.SlotOf(virtualAddress, size, tsbLog2Entries) * TsbEntryFormat.EntryBytes;
            Span<byte> raw = stackalloc byte[TsbEntryFormat.EntryBytes];
            if(!memory.TryRead(address, raw))
            {
                entry = TlbEntry.Invalid;
                stickyStatus |= TlbStatus.TsbError;
                host?.LogGuestError($"TSB entry at 0x{address:X} is not in memory; treating the access as a TLB miss");
                UpdateInterrupt();
                return false;
            }
            entry = TsbEntryFormat.Decode(BinaryPrimitives.ReadUInt64LittleEndian(raw), BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)), out var wellFormed);
            if(!wellFormed)
            {
                stickyStatus |= TlbStatus.TsbError;
                host?.LogGuestError($"TSB entry at 0x{address:X} is malformed ({entry}); ignoring it");
                UpdateInterrupt();
                entry = TlbEntry.Invalid;
                return false;
            }
            return entry.Size == size && entry.Translates(virtualAddress, initiatorId);
        }

        // See IIoTranslator.Cancel.
        public void Cancel(ITranslationRequester waiter)
        {
            if(waiter == null)
            {
                return;
            }
            for(var i = pending.Count - 1; i >= 0; i--)
            {
                if(pending[i].Requester != waiter)
                {
                    continue;
                }
                if(i == 0)
                {
                    pending[0] = new PendingFault(pending[0].Fault.WithoutRequester(), null);
                }
                else
                {
                    pending.RemoveAt(i);
                }
            }
        }

        private TranslationStatus Fault(TlbFault fault, ITranslationRequester waiter, out ulong physicalAddress, out ulong bytesInPage)
        {
            physicalAddress = 0;
            bytesInPage = 0;
            var status = fault.Cause == TlbFaultCause.Permission ? TranslationStatus.PermissionFault : TranslationStatus.Miss;
            if(waiter != null)
            {
                foreach(var queued in pending)
                {
                    if(queued.Requester == waiter)
                    {
                        // Already stalled: it will be called back once; do not queue it twice.
                        return status;
                    }
                }
                if(pending.Count < MaxStalledRequesters)
                {
                    faults++;
                    pending.Add(new PendingFault(fault, waiter));
                    UpdateInterrupt();
                    return status;
                }
                fault = new TlbFault(fault.VirtualAddress, fault.InitiatorId, fault.Access, fault.Cause, false);
            }
            faults++;
            if(pending.Count == 0)
            {
                pending.Add(new PendingFault(fault, null));
                host?.LogGuestError($"TLB {fault}");
            }
            else if((stickyStatus & TlbStatus.Overrun) == 0)
            {
                // Logged once until software acknowledges OVERRUN: an initiator that streams into an
                // unmapped buffer word by word would otherwise flood the log with one line per word.
                stickyStatus |= TlbStatus.Overrun;
                host?.LogGuestError($"TLB {fault}; not latched (another fault is pending): overrun; further overruns are counted, not logged, until OVERRUN is cleared");
            }
            UpdateInterrupt();
            return fault.Cause == TlbFaultCause.Permission ? TranslationStatus.PermissionFault : TranslationStatus.Aborted;
        }

        private bool CompleteLatchedFault(bool resume)
        {
            if(pending.Count == 0)
            {
                return Reject(resume ? "resume with no latched fault" : "abort with no latched fault");
            }
            var completed = pending[0].Requester;
            pending.RemoveAt(0);
            // Queued faults the refill already covers do not need software: resolve them now.
            List<ITranslationRequester> alsoResolved = null;
            while(pending.Count > 0 && IsNowTranslatable(pending[0].Fault))
            {
                (alsoResolved ??= new List<ITranslationRequester>()).Add(pending[0].Requester);
                pending.RemoveAt(0);
            }
            UpdateInterrupt();
            // Call back only once the state is final: requesters retry at once and may fault again.
            if(completed != null)
            {
                if(resume)
                {
                    completed.TranslationResolved();
                }
                else
                {
                    completed.TranslationAborted();
                }
            }
            if(alsoResolved != null)
            {
                foreach(var requester in alsoResolved)
                {
                    requester.TranslationResolved();
                }
            }
            return true;
        }

        private bool IsNowTranslatable(TlbFault fault)
        {
            var index = Find(fault.VirtualAddress, fault.InitiatorId);
            TlbEntry entry;
            if(index >= 0)
            {
                entry = entries[index];
            }
            else if(!TryLoadFromTsb(fault.VirtualAddress, fault.InitiatorId, out entry))
            {
                return false;
            }
            return entry.Allows(fault.Access);
        }

        private bool Reject(string message)
        {
            stickyStatus |= TlbStatus.CommandError;
            host?.LogGuestError(message);
            UpdateInterrupt();
            return false;
        }

        private void UpdateInterrupt()
        {
            var level = (Status & interruptEnable) != 0;
            if(level != interruptAsserted)
            {
                interruptAsserted = level;
                host?.SetLine(InterruptLine, level);
            }
        }

        [Conditional("DEBUG")]
        private void AssertConsistent()
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

        private int wired;
        private int random;
        private TlbStatus stickyStatus;
        private TlbStatus interruptEnable;
        private bool interruptAsserted;
        private bool tsbEnabled;
        private ulong tsbBase;
        private int tsbLog2Entries;
        private ulong hits;
        private ulong misses;
        private ulong refills;
        private ulong tsbRefills;
        private ulong faults;

        private readonly TlbEntry[] entries;
        private readonly int defaultWired;
        private IPhysicalMemory memory;
        private readonly IDeviceHost host;
        // Entry indices, only ever used after checking the entry (see the class comment).
        private readonly int[] lookupHints;
        private readonly int hintShift;
        // The exact index, derived from entries (SetEntry keeps it in step): page | id for
        // per-initiator entries, page alone for global ones, by page size.
        private readonly Dictionary<ulong, int> smallPages;
        private readonly Dictionary<ulong, int> largePages;
        private readonly Dictionary<ulong, int> globalSmallPages;
        private readonly Dictionary<ulong, int> globalLargePages;
        // pending[0] is the latched fault; the rest are stalled requesters in arrival order.
        private readonly List<PendingFault> pending;

        private const ulong SmallPageMask = (1UL << (int)TlbPageSize.Size4KiB) - 1;
        private const ulong LargePageMask = (1UL << (int)TlbPageSize.Size2MiB) - 1;
        private const int MinLookupHintBits = 8;
        private const int MaxLookupHintBits = 16;

        private readonly struct PendingFault
        {
            public PendingFault(TlbFault fault, ITranslationRequester requester)
            {
                Fault = fault;
                Requester = requester;
            }

            public readonly TlbFault Fault;
            public readonly ITranslationRequester Requester;
        }
    }
}
