using System;
using System.Collections.Generic;
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
    // Optional assist in the SPARC64 manner (TsbAssist): on a miss the TLB reads the TSB slot for
    // the address and, when its tag matches, loads the entry into a non-wired slot and carries on
    // without an interrupt.
    //
    // Faults (TlbFaultQueue): one fault is latched (visible to software) at a time. Further faults of requesters
    // that can wait queue behind it, in arrival order, each keeping its requester stalled. Resume
    // or abort completes the latched fault; the queue head is then re-checked against the TLB
    // (and TSB): if it now translates (the refill also covered it), its requester is resumed
    // without troubling software, otherwise it becomes the latched fault and the interrupt stays
    // up. A fault of an initiator that cannot wait is latched only if nothing is latched;
    // otherwise it is counted and flagged as Overrun (logged once until software clears Overrun).
    //
    // Entries and lookup: TlbEntryStore holds the slots (wired, random, overlap replacement) and
    // TlbLookupIndex finds an entry in a hint probe and an entry check. This class is the device:
    // translation, counters, status and interrupt, and the policy of the fault queue.
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
            store = new TlbEntryStore(entryCount, wiredEntries);
            lookup = store.Index;
            slots = store.Entries;
            hints = lookup.Hints;
            hintShift = lookup.HintShift;
            tsb = new TsbAssist(memory);
            faultQueue = new TlbFaultQueue();
            this.host = host;
            ResetState();
        }

        public int EntryCount => store.Count;

        public int Wired => store.Wired;

        // The slot the next random write (or TSB load) replaces.
        public int RandomIndex => store.Random;

        public bool TsbAssistAvailable => tsb.Available;

        public bool TsbEnabled => tsb.Enabled;

        public ulong TsbBase => tsb.Base;

        public int TsbLog2Entries => tsb.Log2Entries;

        public ulong Hits => hits;

        public ulong Misses => misses;

        // Entries software wrote (valid ones, by indexed or random write).
        public ulong Refills => refills;

        // Misses the TSB assist resolved without an interrupt.
        public ulong TsbRefills => tsbRefills;

        // Faults that reached software (latched, queued or overrun).
        public ulong Faults => faults;

        public bool HasLatchedFault => faultQueue.HasLatched;

        // The fault software sees; default (cause None) when none is latched.
        public TlbFault LatchedFault => faultQueue.Latched;

        // Stalled faults queued behind the latched one.
        public int QueuedFaults => Math.Max(0, faultQueue.Count - 1);

        public TlbStatus Status => stickyStatus | (faultQueue.HasLatched ? TlbStatus.FaultPending : TlbStatus.None);

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
            var stalled = faultQueue.Clear();
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
            tsb.Rebind(memory);
        }

        public TlbEntry GetEntry(int index)
        {
            return index >= 0 && index < store.Count ? store.At(index) : TlbEntry.Invalid;
        }

        // Sets how many low entries are wired (0..EntryCount) and restarts the random index at the
        // top, as MIPS does. On a bad value: CommandError, nothing changes, false.
        public bool SetWired(int count)
        {
            if(count < 0 || count > store.Count)
            {
                return Reject($"wired count {count} is outside [0, {store.Count}]");
            }
            store.SetWired(count);
            return true;
        }

        // Writes entry into slot index (wired slots included). A valid entry must be well formed
        // (page addresses aligned to its size, id <= MaxInitiatorId); writing an invalid entry
        // clears the slot. Any other valid entry overlapping the new one for some initiator is
        // invalidated, so a lookup is never ambiguous. On bad input: CommandError, no change, false.
        public bool WriteIndexed(int index, TlbEntry entry)
        {
            if(index < 0 || index >= store.Count)
            {
                return Reject($"entry index {index} is outside [0, {store.Count})");
            }
            if(entry.Valid && !entry.IsWellFormed)
            {
                return Reject($"malformed entry {entry}: page addresses must be aligned to the page size and the id at most {MaxInitiatorId}");
            }
            store.Store(index, entry);
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
            if(store.Wired >= store.Count)
            {
                Reject("random write with every entry wired");
                return -1;
            }
            if(entry.Valid && !entry.IsWellFormed)
            {
                Reject($"malformed entry {entry}: page addresses must be aligned to the page size and the id at most {MaxInitiatorId}");
                return -1;
            }
            var index = store.TakeRandomSlot();
            store.Store(index, entry);
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
            return store.Find(virtualAddress, initiatorId);
        }

        // Looks a translation up as Translate would on a hit, with no side effects (no counters,
        // no TSB, no fault). For debuggers and address-decoding queries.
        public bool TryPeek(ulong virtualAddress, int initiatorId, out ulong physicalAddress, out TlbEntry entry)
        {
            var index = store.Find(virtualAddress, initiatorId);
            if(index < 0)
            {
                physicalAddress = 0;
                entry = TlbEntry.Invalid;
                return false;
            }
            entry = store.At(index);
            physicalAddress = entry.PhysicalPage | (virtualAddress & (entry.PageBytes - 1));
            return true;
        }

        // Invalidates every entry, wired ones included. Returns how many were valid.
        public int InvalidateAll()
        {
            return store.InvalidateWhere(e => true);
        }

        // Invalidates the non-global entries of initiatorId (global ones are shared: use
        // InvalidatePage or InvalidateAll). Returns how many were invalidated.
        public int InvalidateInitiator(int initiatorId)
        {
            return store.InvalidateWhere(e => !e.Global && e.InitiatorId == initiatorId);
        }

        // Invalidates every entry that translates virtualAddress for initiatorId, global ones
        // included. Returns how many were invalidated.
        public int InvalidatePage(ulong virtualAddress, int initiatorId)
        {
            return store.InvalidateWhere(e => e.Translates(virtualAddress, initiatorId));
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
            var problem = tsb.Configure(baseAddress, log2Entries, enabled);
            return problem == null || Reject(problem);
        }

        // Records a guest programming error the register file found (unknown register, bad
        // command): sets CommandError, logs message, updates the interrupt.
        public void ReportProgrammingError(string message)
        {
            Reject(message);
        }

        // IIoTranslator: see the contract there. Hit path: one hint probe and a permission check.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
            out ulong physicalAddress, out ulong bytesInPage)
        {
            var index = TlbLookupIndex.ProbeHint(hints, hintShift, slots, virtualAddress, initiatorId);
            if(index < 0 && (index = lookup.FindAndHint(virtualAddress, initiatorId)) < 0)
            {
                return TranslateMiss(virtualAddress, initiatorId, access, waiter, out physicalAddress, out bytesInPage);
            }
            ref readonly var entry = ref slots[index];
            if(!entry.Allows(access))
            {
                return Fault(new TlbFault(virtualAddress, initiatorId, access, TlbFaultCause.Permission, waiter != null), waiter,
                    out physicalAddress, out bytesInPage);
            }
            hits++;
            var pageBytes = entry.PageBytes;
            var offset = virtualAddress & (pageBytes - 1);
            physicalAddress = entry.PhysicalPage | offset;
            bytesInPage = pageBytes - offset;
            return TranslationStatus.Ok;
        }

        public const int MaxInitiatorId = 0xFFF;
        // The one interrupt line, as numbered for IDeviceHost.SetLine.
        public const int InterruptLine = 0;
        public const int MaxEntryCount = 4096;
        public const int MaxTsbLog2Entries = 20;
        // Bounds the queue when requesters misbehave; beyond it faults are dropped as Overrun.
        public const int MaxStalledRequesters = 256;

        // Never inlined: a caller that inlines Translate (a direct call, as the TLB lookup benchmark
        // makes) otherwise takes in the whole miss path, TSB read and entry write included, and its
        // hit loop pays for the larger frame (5 KiB of code, 13% slower hits than before).
        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
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
            store.Reset();
            stickyStatus = TlbStatus.None;
            interruptEnable = TlbStatus.All;
            tsb.Reset();
            ResetCounters();
        }

        // The TSB assist: reads the 4 KiB slot, then the 2 MiB slot for virtualAddress. On a tag
        // match the entry is loaded into the random slot (unless every slot is wired, in which case
        // it is used for this one translation only).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryLoadFromTsb(ulong virtualAddress, int initiatorId, out TlbEntry entry)
        {
            if(!tsb.Enabled)
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
            if(store.Wired < store.Count)
            {
                store.Store(store.TakeRandomSlot(), entry);
            }
            return true;
        }

        // A TSB slot that is not memory or is malformed sets TSB_ERROR and counts as a TSB miss.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryReadTsb(ulong virtualAddress, int initiatorId, TlbPageSize size, out TlbEntry entry)
        {
            if(tsb.TryRead(virtualAddress, initiatorId, size, out entry, out var error))
            {
                return true;
            }
            if(error != null)
            {
                stickyStatus |= TlbStatus.TsbError;
                host?.LogGuestError(error);
                UpdateInterrupt();
            }
            return false;
        }

        // See IIoTranslator.Cancel.
        public void Cancel(ITranslationRequester waiter)
        {
            if(waiter != null)
            {
                faultQueue.Cancel(waiter);
            }
        }

        private TranslationStatus Fault(TlbFault fault, ITranslationRequester waiter, out ulong physicalAddress, out ulong bytesInPage)
        {
            physicalAddress = 0;
            bytesInPage = 0;
            var status = fault.Cause == TlbFaultCause.Permission ? TranslationStatus.PermissionFault : TranslationStatus.Miss;
            if(waiter != null)
            {
                if(faultQueue.Contains(waiter))
                {
                    // Already stalled: it will be called back once; do not queue it twice.
                    return status;
                }
                if(faultQueue.Count < MaxStalledRequesters)
                {
                    faults++;
                    faultQueue.Add(fault, waiter);
                    UpdateInterrupt();
                    return status;
                }
                fault = new TlbFault(fault.VirtualAddress, fault.InitiatorId, fault.Access, fault.Cause, false);
            }
            faults++;
            if(!faultQueue.HasLatched)
            {
                faultQueue.Add(fault, null);
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
            if(!faultQueue.HasLatched)
            {
                return Reject(resume ? "resume with no latched fault" : "abort with no latched fault");
            }
            var completed = faultQueue.LatchedRequester;
            faultQueue.RemoveLatched();
            // Queued faults the refill already covers do not need software: resolve them now.
            List<ITranslationRequester> alsoResolved = null;
            while(faultQueue.HasLatched && IsNowTranslatable(faultQueue.Latched))
            {
                (alsoResolved ??= new List<ITranslationRequester>()).Add(faultQueue.LatchedRequester);
                faultQueue.RemoveLatched();
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
            var index = store.Find(fault.VirtualAddress, fault.InitiatorId);
            TlbEntry entry;
            if(index >= 0)
            {
                entry = store.At(index);
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

        private TlbStatus stickyStatus;
        private TlbStatus interruptEnable;
        private bool interruptAsserted;
        private ulong hits;
        private ulong misses;
        private ulong refills;
        private ulong tsbRefills;
        private ulong faults;

        private readonly TlbEntryStore store;
        // The store's index, its slots and its hint table, read directly on the hit path (Translate).
        private readonly TlbLookupIndex lookup;
        private readonly TlbEntry[] slots;
        private readonly int[] hints;
        private readonly int hintShift;
        private readonly TsbAssist tsb;
        private readonly TlbFaultQueue faultQueue;
        private readonly IDeviceHost host;
    }
}
