using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // The TLB's optional refill assist in the SPARC64 manner: a direct-mapped TSB of
    // (1 << Log2Entries) TsbEntryFormat entries in guest memory at Base. On a miss the TLB reads
    // the slot for the address; a tag that matches gives the entry to load.
    internal sealed class TsbAssist
    {
        // memory: where the TSB is read from; null: no assist (it can never be enabled).
        internal TsbAssist(IPhysicalMemory memory)
        {
            this.memory = memory;
        }

        internal bool Available => memory != null;

        internal bool Enabled => enabled;

        internal ulong Base => baseAddress;

        internal int Log2Entries => log2Entries;

        internal void Reset()
        {
            enabled = false;
            baseAddress = 0;
            log2Entries = 0;
        }

        // See SoftwareManagedTlbModel.RebindMemory.
        internal void Rebind(IPhysicalMemory memory)
        {
            if(this.memory != null)
            {
                this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
            }
        }

        // Returns what is wrong with the configuration (the assist is then off), or null once it is applied.
        internal string Configure(ulong baseAddress, int log2Entries, bool enable)
        {
            string problem = null;
            if(log2Entries < 0 || log2Entries > SoftwareManagedTlbModel.MaxTsbLog2Entries)
            {
                problem = $"TSB size 2^{log2Entries} entries is outside [2^0, 2^{SoftwareManagedTlbModel.MaxTsbLog2Entries}]";
            }
            else if((baseAddress & (TsbEntryFormat.EntryBytes - 1)) != 0)
            {
                problem = $"TSB base 0x{baseAddress:X} is not 16-byte aligned";
            }
            else if(baseAddress + ((ulong)TsbEntryFormat.EntryBytes << log2Entries) - 1 < baseAddress)
            {
                problem = $"TSB at 0x{baseAddress:X} wraps around the address space";
            }
            else if(enable && memory == null)
            {
                problem = "TSB enabled but this TLB has no memory to read it from";
            }
            if(problem != null)
            {
                enabled = false;
                return problem;
            }
            this.baseAddress = baseAddress;
            this.log2Entries = log2Entries;
            enabled = enable;
            return null;
        }

        // Reads the slot of virtualAddress for size. True when its entry translates the address
        // for initiatorId. error: why the slot could not be used (not memory, malformed), else null.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal bool TryRead(ulong virtualAddress, int initiatorId, TlbPageSize size, out TlbEntry entry, out string error)
        {
            var address = baseAddress + TsbEntryFormat.SlotOf(virtualAddress, size, log2Entries) * TsbEntryFormat.EntryBytes;
            Span<byte> raw = stackalloc byte[TsbEntryFormat.EntryBytes];
            if(!memory.TryRead(address, raw))
            {
                entry = TlbEntry.Invalid;
                error = $"TSB entry at 0x{address:X} is not in memory; treating the access as a TLB miss";
                return false;
            }
            entry = TsbEntryFormat.Decode(BinaryPrimitives.ReadUInt64LittleEndian(raw), BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)), out var wellFormed);
            if(!wellFormed)
            {
                error = $"TSB entry at 0x{address:X} is malformed ({entry}); ignoring it";
                entry = TlbEntry.Invalid;
                return false;
            }
            error = null;
            return entry.Size == size && entry.Translates(virtualAddress, initiatorId);
        }

        private bool enabled;
        private ulong baseAddress;
        private int log2Entries;
        private IPhysicalMemory memory;
    }
}
