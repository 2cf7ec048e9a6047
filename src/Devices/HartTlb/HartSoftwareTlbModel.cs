using System;
using System.Buffers.Binary;
using System.Diagnostics;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices
{
    // A software-refilled TLB for one RISC-V hart, as MIPS's: the hart translates every access
    // through it (nothing else: the hart's own MMU is bypassed), software writes its entries one
    // at a time through staging registers, and a miss traps into software precisely at the
    // faulting instruction (a page-fault exception, mepc at that instruction, nothing of it
    // done), which the handler's mret retries. An optional TSB assist (SPARC64's)
    // refills from a direct-mapped table in memory without a trap. A fixed unmapped segment
    // (MIPS's kseg0) maps physical memory directly and never misses: the handler runs there and
    // reads its page tables there. docs/hart-tlb.md has the registers and the trap contract.
    //
    // The model keeps one host window per valid entry, plus one for the unmapped segment and one
    // "probe" window, so that Renode's translation always ends on a window of ours (see
    // OnTranslationFault). All state is in plain fields (snapshot-safe); the windows themselves
    // are the hart's state, which Renode's snapshot carries.
    public sealed class HartSoftwareTlbModel
    {
        // entryCount: 1..MaxEntries. wiredEntries: 0..entryCount - 1, low entries random writes
        // and TSB loads never replace. tsbMemory: where the TSB assist reads (null: no assist).
        // seed: the replacement generator's start (non-zero). Throws ArgumentOutOfRangeException
        // or ArgumentNullException on bad arguments; acquires the segment and probe windows.
        public HartSoftwareTlbModel(int entryCount, int wiredEntries, UnmappedSegment segment, IHartTlbHost host,
            IPhysicalMemory tsbMemory = null, uint seed = DefaultSeed)
        {
            if(entryCount < 1 || entryCount > MaxEntries)
            {
                throw new ArgumentOutOfRangeException(nameof(entryCount), $"entry count {entryCount} is outside [1, {MaxEntries}]");
            }
            if(wiredEntries < 0 || wiredEntries >= entryCount)
            {
                throw new ArgumentOutOfRangeException(nameof(wiredEntries), $"wired entries {wiredEntries} is outside [0, {entryCount - 1}]");
            }
            if(segment.Size == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(segment), "the unmapped segment is empty");
            }
            this.host = host ?? throw new ArgumentNullException(nameof(host));
            this.segment = segment;
            this.tsbMemory = tsbMemory;
            this.seed = seed == 0 ? DefaultSeed : seed;
            initialWired = wiredEntries;
            entries = new HartTlbEntry[entryCount];
            windows = new ulong[entryCount];
            wired = wiredEntries;
            randomState = this.seed;
            tsbRaw = new byte[HartTsbEntryFormat.EntryBytes];
            AcquireFixedWindows();
        }

        public const int MaxEntries = 256;

        // The last 4 KiB page of the address space: where the probe window waits, empty, between
        // faults. No entry and no segment may cover it.
        public const ulong ParkingPage = 0xFFFF_FFFF_FFFF_F000UL;

        // RISC-V exception codes (mcause) a trap is delivered with.
        public const uint InstructionPageFault = 12;
        public const uint LoadPageFault = 13;
        public const uint StorePageFault = 15;

        public const uint DefaultSeed = 0x2545F491;

        public int EntryCount => entries.Length;

        public int Wired => wired;

        public UnmappedSegment Segment => segment;

        public bool TsbAssistAvailable => tsbMemory != null;

        public bool TsbEnabled => tsbEnabled;

        public ulong TsbBase => tsbBase;

        public int TsbLog2Entries => tsbLog2Entries;

        public HartTlbStatus Status => status;

        public bool HasLatchedFault => hasFault;

        // The last delivered fault (valid once one was delivered; kept after the refill).
        public HartTlbFault LatchedFault => fault;

        // The slot the next random write or TSB load replaces (never a wired one).
        public int RandomIndex => wired + (int)(randomState % (uint)(entries.Length - wired));

        // Translation misses: each one ends in a TSB refill or in a trap whose handler refills.
        public ulong Misses => misses;

        // Valid entries software wrote while a miss was pending (the handler's refills).
        public ulong Refills => refills;

        public ulong TsbRefills => tsbRefills;

        // Traps delivered (misses and protection faults).
        public ulong Traps => traps;

        public ulong ProtectionFaults => protectionFaults;

        // Faults that arrived while one was pending: the handler itself touched a mapped page.
        public ulong NestedFaults => nestedFaults;

        // Every valid entry software wrote (refills, preloads, wired entries).
        public ulong EntryWrites => entryWrites;

        public HartTlbEntry GetEntry(int index)
        {
            return entries[index];
        }

        // Renode's external-MMU fault hook, called with the faulting virtual address, the access,
        // the window that matched (null: none) and whether it is the first try of this
        // translation. Guarantees: a first try with no window either loads the TSB entry (Retry:
        // the access proceeds, no trap) or arms the probe window on the page (Retry: the retried
        // lookup lands on it, so the second call names a window and Renode logs no error); a
        // first try on one of our windows answers Fault (decided on the second call). The second
        // call latches the fault block, asks the host to raise the page-fault exception (12
        // fetch, 13 load, 15 store/AMO) and answers Retry: tlib then takes that exception at the
        // faulting instruction, with no side effect of it (docs/hart-tlb.md, "Trap contract").
        // A fault while one is pending (the handler touched a mapped address) traps the same
        // way and is counted as nested. Never throws for any input.
        public HartFaultAction OnTranslationFault(ulong address, HartAccess access, ulong? windowId, bool firstTry)
        {
            if(firstTry)
            {
                if(windowId.HasValue)
                {
                    return HartFaultAction.Fault;
                }
                if(TryTsbRefill(address, access))
                {
                    return HartFaultAction.Retry;
                }
                ArmProbe(address);
                return HartFaultAction.Retry;
            }

            var cause = windowId.HasValue && IsEntryWindow(windowId.Value) ? HartFaultCause.Protection : HartFaultCause.Miss;
            ParkProbe();
            if((status & HartTlbStatus.FaultPending) != 0)
            {
                nestedFaults++;
                status |= HartTlbStatus.NestedFault;
                host.LogGuestError($"{cause} on {access} of 0x{address:X} while the fault on 0x{fault.VirtualAddress:X} is pending: "
                    + "the handler touched a mapped address (nested fault)");
            }
            fault = new HartTlbFault(address, access, cause, host.HartId);
            hasFault = true;
            status |= HartTlbStatus.FaultPending;
            if(cause == HartFaultCause.Miss)
            {
                misses++;
            }
            else
            {
                protectionFaults++;
            }
            traps++;
            host.RaiseException(access == HartAccess.Write ? StorePageFault : access == HartAccess.Read ? LoadPageFault : InstructionPageFault);
            return HartFaultAction.Retry;
        }

        // Writes entry into slot index (an invalid entry clears the slot). Other valid entries it
        // overlaps are invalidated (wired ones too): never two translations for one address.
        // Fails (CommandError, log line, false, nothing changed) for an index outside the TLB, an
        // entry that is not well formed or that touches the unmapped segment or the last page.
        public bool WriteIndexed(int index, HartTlbEntry entry)
        {
            if(index < 0 || index >= entries.Length)
            {
                Reject($"indexed write to entry {index}, outside [0, {entries.Length})");
                return false;
            }
            if(!CheckWritable(entry))
            {
                return false;
            }
            Store(index, entry);
            return true;
        }

        // Writes entry into the random slot (above the wired ones) and draws the next one. Returns
        // the slot, or -1 (CommandError) as WriteIndexed fails, or when every entry is wired.
        public int WriteRandom(HartTlbEntry entry)
        {
            if(wired >= entries.Length)
            {
                Reject("random write with every entry wired");
                return -1;
            }
            if(!CheckWritable(entry))
            {
                return -1;
            }
            var index = TakeRandomIndex();
            Store(index, entry);
            return index;
        }

        // The slot of the valid entry that translates virtualAddress, or -1.
        public int Probe(ulong virtualAddress)
        {
            for(var i = 0; i < entries.Length; i++)
            {
                if(entries[i].Translates(virtualAddress))
                {
                    return i;
                }
            }
            return -1;
        }

        // Clears every entry, wired ones included.
        public void InvalidateAll()
        {
            for(var i = 0; i < entries.Length; i++)
            {
                Clear(i);
            }
            host.FlushAll();
        }

        // Clears the entry (if any) that translates virtualAddress.
        public void InvalidatePage(ulong virtualAddress)
        {
            var index = Probe(virtualAddress);
            if(index >= 0)
            {
                Clear(index);
            }
        }

        // Ends the pending fault without a refill (the handler decided the access is an error, or
        // fixed it otherwise).
        public void Dismiss()
        {
            EndPendingFault();
        }

        // Sets how many low entries are wired (0..EntryCount - 1).
        public bool SetWired(int count)
        {
            if(count < 0 || count >= entries.Length)
            {
                Reject($"wired count {count} is outside [0, {entries.Length - 1}]");
                return false;
            }
            wired = count;
            return true;
        }

        // Points the TSB assist at (1 << log2Entries) 16-byte entries at baseAddress and turns it
        // on or off. Fails (CommandError, assist off) without a TSB memory, for a size outside
        // [0, MaxTsbLog2Entries] or a base not aligned to the table's size.
        public bool ConfigureTsb(ulong baseAddress, int log2Entries, bool enabled)
        {
            if(enabled && tsbMemory == null)
            {
                tsbEnabled = false;
                Reject("TSB assist enabled, but this TLB was built without it (tsbAssist: false)");
                return false;
            }
            if(log2Entries < 0 || log2Entries > MaxTsbLog2Entries)
            {
                tsbEnabled = false;
                Reject($"TSB size 2^{log2Entries} is outside [2^0, 2^{MaxTsbLog2Entries}] entries");
                return false;
            }
            var tableBytes = (ulong)HartTsbEntryFormat.EntryBytes << log2Entries;
            if((baseAddress & (tableBytes - 1)) != 0)
            {
                tsbEnabled = false;
                Reject($"TSB base 0x{baseAddress:X} is not aligned to the table's {tableBytes} bytes");
                return false;
            }
            tsbBase = baseAddress;
            tsbLog2Entries = log2Entries;
            tsbEnabled = enabled;
            return true;
        }

        // Write-1-to-clear of CommandError and NestedFault (FaultPending is read-only).
        public void AcknowledgeStatus(HartTlbStatus bits)
        {
            status &= ~(bits & (HartTlbStatus.CommandError | HartTlbStatus.NestedFault));
        }

        public void ResetCounters()
        {
            misses = 0;
            refills = 0;
            tsbRefills = 0;
            traps = 0;
            protectionFaults = 0;
            nestedFaults = 0;
            entryWrites = 0;
        }

        // Back to the state after construction: no entries, initial WIRED, TSB off, no fault,
        // counters zero, the replacement generator at its seed. The fixed windows stay.
        public void Reset()
        {
            for(var i = 0; i < entries.Length; i++)
            {
                Clear(i);
            }
            host.FlushAll();
            ParkProbe();
            wired = initialWired;
            randomState = seed;
            tsbEnabled = false;
            tsbBase = 0;
            tsbLog2Entries = 0;
            EndPendingFault();
            status = HartTlbStatus.None;
            hasFault = false;
            fault = default;
            ResetCounters();
        }

        // A guest programming error: CommandError and a log line.
        public void ReportProgrammingError(string message)
        {
            Reject(message);
        }

        public const int MaxTsbLog2Entries = 20;

        private bool CheckWritable(HartTlbEntry entry)
        {
            if(!entry.Valid)
            {
                return true;
            }
            if(!entry.IsWellFormed)
            {
                Reject($"entry {entry} is not well formed (page addresses must be aligned to the page size)");
                return false;
            }
            if(segment.Intersects(entry.VirtualPage, entry.PageBytes))
            {
                Reject($"entry {entry} overlaps the unmapped segment [0x{segment.VirtualBase:X}, 0x{segment.VirtualEnd:X})");
                return false;
            }
            if(entry.VirtualEnd > ParkingPage)
            {
                Reject($"entry {entry} covers the last page of the address space, which the TLB keeps for itself");
                return false;
            }
            return true;
        }

        private void Store(int index, HartTlbEntry entry)
        {
            Clear(index);
            if(!entry.Valid)
            {
                return;
            }
            for(var i = 0; i < entries.Length; i++)
            {
                if(i != index && entries[i].Overlaps(entry))
                {
                    Clear(i);
                }
            }
            Install(index, entry);
            entryWrites++;
            if((status & HartTlbStatus.FaultPending) != 0 && fault.Cause == HartFaultCause.Miss)
            {
                refills++;
            }
            EndPendingFault();
            CheckInvariants();
        }

        private void EndPendingFault()
        {
            if((status & HartTlbStatus.FaultPending) == 0)
            {
                return;
            }
            status &= ~HartTlbStatus.FaultPending;
        }

        // Puts a valid entry into an empty slot and gives it a window (overlaps already cleared).
        private void Install(int index, HartTlbEntry entry)
        {
            if(probeArmed && entry.Translates(probePage))
            {
                ParkProbe();
            }
            entries[index] = entry;
            windows[index] = host.AcquireWindow();
            SetEntryWindow(index);
        }

        private void Clear(int index)
        {
            var old = entries[index];
            if(!old.Valid)
            {
                return;
            }
            entries[index] = HartTlbEntry.Invalid;
            host.ReleaseWindow(windows[index]);
            if(old.Size == TlbPageSize.Size4KiB)
            {
                host.FlushPage(old.VirtualPage);
            }
            else
            {
                host.FlushAll();
            }
        }

        private void SetEntryWindow(int index)
        {
            var entry = entries[index];
            host.SetWindow(windows[index], entry.VirtualPage, entry.VirtualEnd, entry.PhysicalPage - entry.VirtualPage, entry.Permissions);
        }

        private bool IsEntryWindow(ulong windowId)
        {
            for(var i = 0; i < entries.Length; i++)
            {
                if(entries[i].Valid && windows[i] == windowId)
                {
                    return true;
                }
            }
            return false;
        }

        private bool TryTsbRefill(ulong address, HartAccess access)
        {
            if(!tsbEnabled || wired >= entries.Length)
            {
                return false;
            }
            foreach(var size in PageSizes)
            {
                var slot = HartTsbEntryFormat.SlotOf(address, size, tsbLog2Entries);
                if(!tsbMemory.TryRead(tsbBase + slot * HartTsbEntryFormat.EntryBytes, tsbRaw))
                {
                    tsbEnabled = false;
                    Reject($"TSB read at 0x{tsbBase + slot * HartTsbEntryFormat.EntryBytes:X} is not memory; the assist is now off");
                    return false;
                }
                var entry = HartTsbEntryFormat.Decode(BinaryPrimitives.ReadUInt64LittleEndian(tsbRaw),
                    BinaryPrimitives.ReadUInt64LittleEndian(tsbRaw.AsSpan(8)));
                if(!entry.Valid || entry.Size != size || !entry.Translates(address))
                {
                    continue;
                }
                if(!entry.Allows(access) || !entry.IsWellFormed || segment.Intersects(entry.VirtualPage, entry.PageBytes)
                    || entry.VirtualEnd > ParkingPage)
                {
                    // Software decides: the access traps as a miss.
                    return false;
                }
                var index = TakeRandomIndex();
                for(var i = 0; i < entries.Length; i++)
                {
                    if(entries[i].Overlaps(entry))
                    {
                        Clear(i);
                    }
                }
                Clear(index);
                Install(index, entry);
                misses++;
                tsbRefills++;
                CheckInvariants();
                return true;
            }
            return false;
        }

        private int TakeRandomIndex()
        {
            var index = RandomIndex;
            // xorshift32: deterministic, one plain field, full period over non-zero states.
            var x = randomState;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            randomState = x;
            return index;
        }

        private void AcquireFixedWindows()
        {
            segmentWindow = host.AcquireWindow();
            host.SetWindow(segmentWindow, segment.VirtualBase, segment.VirtualEnd, segment.PhysicalBase - segment.VirtualBase, HartPermissions.All);
            probeWindow = host.AcquireWindow();
            probeArmed = true;
            ParkProbe();
        }

        private void ArmProbe(ulong address)
        {
            probePage = address & ~0xFFFUL;
            probeArmed = true;
            host.SetWindow(probeWindow, probePage, probePage + 0x1000, 0, HartPermissions.None);
        }

        private void ParkProbe()
        {
            if(!probeArmed)
            {
                return;
            }
            probeArmed = false;
            probePage = ParkingPage;
            host.SetWindow(probeWindow, ParkingPage, ParkingPage, 0, HartPermissions.None);
        }

        private void Reject(string message)
        {
            status |= HartTlbStatus.CommandError;
            host.LogGuestError(message);
        }

        [Conditional("DEBUG")]
        private void CheckInvariants()
        {
            for(var i = 0; i < entries.Length; i++)
            {
                if(!entries[i].Valid)
                {
                    continue;
                }
                Debug.Assert(entries[i].IsWellFormed, $"entry {i} is not well formed");
                Debug.Assert(!segment.Intersects(entries[i].VirtualPage, entries[i].PageBytes), $"entry {i} overlaps the segment");
                for(var j = i + 1; j < entries.Length; j++)
                {
                    Debug.Assert(!entries[i].Overlaps(entries[j]), $"entries {i} and {j} overlap");
                }
            }
        }

        private static readonly TlbPageSize[] PageSizes = { TlbPageSize.Size4KiB, TlbPageSize.Size2MiB, TlbPageSize.Size1GiB };

        private int wired;
        private uint randomState;
        private HartTlbStatus status;
        private HartTlbFault fault;
        private bool hasFault;
        private bool tsbEnabled;
        private ulong tsbBase;
        private int tsbLog2Entries;
        private ulong segmentWindow;
        private ulong probeWindow;
        private bool probeArmed;
        private ulong probePage;
        private ulong misses;
        private ulong refills;
        private ulong tsbRefills;
        private ulong traps;
        private ulong protectionFaults;
        private ulong nestedFaults;
        private ulong entryWrites;

        private readonly HartTlbEntry[] entries;
        private readonly ulong[] windows;
        private readonly byte[] tsbRaw;
        private readonly int initialWired;
        private readonly uint seed;
        private readonly UnmappedSegment segment;
        private readonly IHartTlbHost host;
        private readonly IPhysicalMemory tsbMemory;
    }
}
