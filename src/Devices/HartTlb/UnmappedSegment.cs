using System;

namespace RenodeFrameAlloc.Devices
{
    // The fixed virtual range [VirtualBase, VirtualBase + Size) that maps physical memory from
    // PhysicalBase on directly, with every right, as MIPS's kseg0 does: it never misses, so a
    // TLB-miss handler running there can read page tables in frames the pool handed out unmapped.
    // All three values are multiples of 4 KiB; Size is not zero; neither range wraps.
    public readonly struct UnmappedSegment
    {
        public UnmappedSegment(ulong virtualBase, ulong size, ulong physicalBase)
        {
            if(size == 0 || ((virtualBase | size | physicalBase) & 0xFFF) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), "the unmapped segment needs a non-zero size and 4 KiB-aligned bounds");
            }
            if(virtualBase + size < virtualBase || physicalBase + size < physicalBase || virtualBase + size > HartSoftwareTlbModel.ParkingPage)
            {
                throw new ArgumentOutOfRangeException(nameof(size), "the unmapped segment wraps around or reaches the last page of the address space");
            }
            VirtualBase = virtualBase;
            Size = size;
            PhysicalBase = physicalBase;
        }

        public ulong VirtualBase { get; }

        public ulong Size { get; }

        public ulong PhysicalBase { get; }

        public ulong VirtualEnd => VirtualBase + Size;

        public bool Intersects(ulong start, ulong length)
        {
            return start < VirtualEnd && VirtualBase < start + length;
        }
    }
}
