using System;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // The driver's side of the TLB's TSB assist: a direct-mapped table of 2^Log2Entries 16-byte
    // entries at Base (frames borrowed from the allocator), in the format of docs/software-tlb.md.
    // The TLB reads it on a miss; only software writes it.
    public sealed class TranslationStorageBuffer
    {
        public TranslationStorageBuffer(IPhysicalMemory cpuMemory, ulong baseAddress, int log2Entries)
        {
            cpu = cpuMemory ?? throw new ArgumentNullException(nameof(cpuMemory));
            Base = baseAddress;
            Log2Entries = log2Entries;
        }

        public ulong Base { get; }
        public int Log2Entries { get; }
        public ulong Bytes => (1UL << Log2Entries) * TsbEntryFormat.EntryBytes;

        public void Clear()
        {
            if(!cpu.TryWrite(Base, new byte[Bytes]))
            {
                throw new InvalidOperationException($"TSB at 0x{Base:X} is not RAM");
            }
        }

        // Stores a 4 KiB mapping in its slot, replacing whatever shared the slot.
        public void Store(ulong virtualPage, ulong physicalPage, int initiator, bool read, bool write)
        {
            Span<byte> entry = stackalloc byte[TsbEntryFormat.EntryBytes];
            TsbEntryFormat.Encode(new TlbEntry(virtualPage, physicalPage, initiator, read, write), entry);
            var slot = TsbEntryFormat.SlotOf(virtualPage, TlbPageSize.Size4KiB, Log2Entries);
            if(!cpu.TryWrite(Base + slot * TsbEntryFormat.EntryBytes, entry))
            {
                throw new InvalidOperationException($"TSB at 0x{Base:X} is not RAM");
            }
        }

        private readonly IPhysicalMemory cpu;
    }
}
