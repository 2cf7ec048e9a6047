using System;
using System.Buffers.Binary;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // The in-memory format of one TSB (translation storage buffer) entry: 16 bytes, two
    // little-endian 64-bit words, the layout documented in docs/software-tlb.md.
    //   TAG  (+0): bits 63:12 device-virtual page address >> 12, bits 11:0 initiator id.
    //   DATA (+8): bits 63:12 physical page address >> 12, bit 0 VALID, bit 1 READ, bit 2 WRITE,
    //              bit 3 LARGE (2 MiB page), bit 4 GLOBAL, bits 11:5 ignored (free for software).
    // A 4 KiB mapping of address va lives at index (va >> 12) mod N, a 2 MiB one at (va >> 21) mod N.
    public static class TsbEntryFormat
    {
        public const int EntryBytes = 16;

        // Index of the TSB slot that holds the mapping of virtualAddress with the given page size
        // in a table of (1 << log2Entries) entries.
        public static ulong SlotOf(ulong virtualAddress, TlbPageSize size, int log2Entries)
        {
            return (virtualAddress >> (int)size) & ((1UL << log2Entries) - 1);
        }

        // Encodes entry into its TAG and DATA words. An invalid entry encodes as two zero words.
        public static void Encode(TlbEntry entry, out ulong tag, out ulong data)
        {
            if(!entry.Valid)
            {
                tag = 0;
                data = 0;
                return;
            }
            tag = (entry.VirtualPage & PageNumberMask) | ((ulong)entry.InitiatorId & IdMask);
            data = (entry.PhysicalPage & PageNumberMask) | ValidBit
                | (entry.Readable ? ReadBit : 0) | (entry.Writable ? WriteBit : 0)
                | (entry.Size == TlbPageSize.Size2MiB ? LargeBit : 0) | (entry.Global ? GlobalBit : 0);
        }

        public static void Encode(TlbEntry entry, Span<byte> destination)
        {
            Encode(entry, out var tag, out var data);
            BinaryPrimitives.WriteUInt64LittleEndian(destination, tag);
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(8), data);
        }

        // Decodes a TAG/DATA pair. Returns Invalid with wellFormed true when VALID is clear;
        // wellFormed is false when VALID is set but a 2 MiB entry has page bits 20:12 set.
        public static TlbEntry Decode(ulong tag, ulong data, out bool wellFormed)
        {
            wellFormed = true;
            if((data & ValidBit) == 0)
            {
                return TlbEntry.Invalid;
            }
            var size = (data & LargeBit) != 0 ? TlbPageSize.Size2MiB : TlbPageSize.Size4KiB;
            var entry = new TlbEntry(tag & PageNumberMask, data & PageNumberMask, (int)(tag & IdMask),
                (data & ReadBit) != 0, (data & WriteBit) != 0, size, (data & GlobalBit) != 0);
            wellFormed = entry.IsWellFormed;
            return entry;
        }

        public const ulong ValidBit = 1UL << 0;
        public const ulong ReadBit = 1UL << 1;
        public const ulong WriteBit = 1UL << 2;
        public const ulong LargeBit = 1UL << 3;
        public const ulong GlobalBit = 1UL << 4;

        private const ulong PageNumberMask = ~0xFFFUL;
        private const ulong IdMask = 0xFFF;
    }
}
