using System;
using System.Buffers.Binary;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices
{
    // One entry of the hart TLB's TSB (translation storage buffer, SPARC64's name): 16 bytes,
    // two little-endian 64-bit words (docs/hart-tlb.md).
    //   TAG  (+0): bits 63:12 virtual page address, bits 11:0 zero.
    //   DATA (+8): bits 63:12 physical page address, bit 0 VALID, bit 1 READ, bit 2 WRITE,
    //              bit 3 EXECUTE, bits 5:4 SIZE (0 4 KiB, 1 2 MiB, 2 1 GiB), bits 11:6 free for software.
    // A mapping of size S of address va lives at slot (va >> log2 S) mod N; the assist probes
    // the 4 KiB, then the 2 MiB, then the 1 GiB slot.
    public static class HartTsbEntryFormat
    {
        public const int EntryBytes = 16;

        public static ulong SlotOf(ulong virtualAddress, TlbPageSize size, int log2Entries)
        {
            return (virtualAddress >> (int)size) & ((1UL << log2Entries) - 1);
        }

        public static void Encode(HartTlbEntry entry, Span<byte> destination)
        {
            ulong tag = 0;
            ulong data = 0;
            if(entry.Valid)
            {
                tag = entry.VirtualPage & PageNumberMask;
                data = (entry.PhysicalPage & PageNumberMask) | ValidBit | ((ulong)entry.Permissions << 1)
                    | ((ulong)SizeCode(entry.Size) << SizeShift);
            }
            BinaryPrimitives.WriteUInt64LittleEndian(destination, tag);
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(8), data);
        }

        // Decodes a TAG/DATA pair; Invalid when VALID is clear or SIZE is 3 (reserved).
        public static HartTlbEntry Decode(ulong tag, ulong data)
        {
            if((data & ValidBit) == 0 || !TryDecodeSize((uint)((data >> SizeShift) & 3), out var size))
            {
                return HartTlbEntry.Invalid;
            }
            return new HartTlbEntry(tag & PageNumberMask, data & PageNumberMask, (HartPermissions)((data >> 1) & 7), size);
        }

        public static uint SizeCode(TlbPageSize size)
        {
            return size == TlbPageSize.Size1GiB ? 2u : size == TlbPageSize.Size2MiB ? 1u : 0u;
        }

        public static bool TryDecodeSize(uint code, out TlbPageSize size)
        {
            switch(code)
            {
            case 0:
                size = TlbPageSize.Size4KiB;
                return true;
            case 1:
                size = TlbPageSize.Size2MiB;
                return true;
            case 2:
                size = TlbPageSize.Size1GiB;
                return true;
            default:
                size = TlbPageSize.Size4KiB;
                return false;
            }
        }

        public const ulong ValidBit = 1UL << 0;
        public const int SizeShift = 4;

        private const ulong PageNumberMask = ~0xFFFUL;
    }
}
