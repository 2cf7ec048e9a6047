using System;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // One translation: a device-virtual page of Size bytes maps to a physical page of the same
    // size for one initiator (or, when Global, for every initiator), with read and write rights.
    // Both page addresses are aligned to Size (the TLB refuses entries that are not).
    public readonly struct TlbEntry : IEquatable<TlbEntry>
    {
        public TlbEntry(ulong virtualPage, ulong physicalPage, int initiatorId, bool readable, bool writable,
            TlbPageSize size = TlbPageSize.Size4KiB, bool global = false, bool valid = true)
        {
            VirtualPage = virtualPage;
            PhysicalPage = physicalPage;
            InitiatorId = initiatorId;
            Readable = readable;
            Writable = writable;
            Size = size;
            Global = global;
            Valid = valid;
        }

        public static TlbEntry Invalid => default;

        // True when VirtualPage and PhysicalPage are aligned to Size, Size is a supported page
        // size and the initiator id fits the 12-bit field.
        public bool IsWellFormed
        {
            get
            {
                if(Size != TlbPageSize.Size4KiB && Size != TlbPageSize.Size2MiB)
                {
                    return false;
                }
                var offsetMask = PageBytes - 1;
                return (VirtualPage & offsetMask) == 0 && (PhysicalPage & offsetMask) == 0
                    && InitiatorId >= 0 && InitiatorId <= SoftwareManagedTlbModel.MaxInitiatorId;
            }
        }

        public ulong PageBytes => 1UL << (int)Size;

        // True when this valid entry translates virtualAddress for initiatorId.
        public bool Translates(ulong virtualAddress, int initiatorId)
        {
            return Valid && (virtualAddress & ~(PageBytes - 1)) == VirtualPage && (Global || InitiatorId == initiatorId);
        }

        public bool Allows(DmaAccess access)
        {
            return access == DmaAccess.Write ? Writable : Readable;
        }

        // True when both entries are valid, their pages intersect and some initiator could match both.
        public bool Overlaps(TlbEntry other)
        {
            if(!Valid || !other.Valid)
            {
                return false;
            }
            if(!Global && !other.Global && InitiatorId != other.InitiatorId)
            {
                return false;
            }
            var end = VirtualPage + (PageBytes - 1);
            var otherEnd = other.VirtualPage + (other.PageBytes - 1);
            return VirtualPage <= otherEnd && other.VirtualPage <= end;
        }

        public bool Equals(TlbEntry other)
        {
            return VirtualPage == other.VirtualPage && PhysicalPage == other.PhysicalPage && InitiatorId == other.InitiatorId
                && Readable == other.Readable && Writable == other.Writable && Size == other.Size
                && Global == other.Global && Valid == other.Valid;
        }

        public override bool Equals(object obj)
        {
            return obj is TlbEntry other && Equals(other);
        }

        public override int GetHashCode()
        {
            return HashCode.Combine(VirtualPage, PhysicalPage, InitiatorId, Readable, Writable, Size, Global, Valid);
        }

        public override string ToString()
        {
            if(!Valid)
            {
                return "invalid";
            }
            var who = Global ? "global" : $"id {InitiatorId}";
            var rights = (Readable ? "r" : "-") + (Writable ? "w" : "-");
            var size = Size == TlbPageSize.Size2MiB ? "2M" : "4K";
            return $"0x{VirtualPage:X} -> 0x{PhysicalPage:X} {size} {rights} {who}";
        }

        public readonly ulong VirtualPage;
        public readonly ulong PhysicalPage;
        public readonly int InitiatorId;
        public readonly bool Readable;
        public readonly bool Writable;
        public readonly TlbPageSize Size;
        public readonly bool Global;
        public readonly bool Valid;
    }
}
