using System;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices
{
    // One hart TLB translation: a virtual page of Size bytes maps to a physical page of the same
    // size with the given rights. Both page addresses are aligned to Size (the TLB refuses
    // entries that are not). No address-space id: software invalidates on a context switch.
    public readonly struct HartTlbEntry : IEquatable<HartTlbEntry>
    {
        public HartTlbEntry(ulong virtualPage, ulong physicalPage, HartPermissions permissions,
            TlbPageSize size = TlbPageSize.Size4KiB, bool valid = true)
        {
            VirtualPage = virtualPage;
            PhysicalPage = physicalPage;
            Permissions = permissions & HartPermissions.All;
            Size = size;
            Valid = valid;
        }

        public static HartTlbEntry Invalid => default;

        public ulong VirtualPage { get; }

        public ulong PhysicalPage { get; }

        public HartPermissions Permissions { get; }

        public TlbPageSize Size { get; }

        public bool Valid { get; }

        public ulong PageBytes => 1UL << (int)Size;

        public ulong VirtualEnd => VirtualPage + PageBytes;

        // True when the size is one the hart TLB maps, both pages are aligned to it and neither
        // page wraps around the address space.
        public bool IsWellFormed
        {
            get
            {
                if(Size != TlbPageSize.Size4KiB && Size != TlbPageSize.Size2MiB && Size != TlbPageSize.Size1GiB)
                {
                    return false;
                }
                var offsetMask = PageBytes - 1;
                return (VirtualPage & offsetMask) == 0 && (PhysicalPage & offsetMask) == 0
                    && VirtualPage + PageBytes > VirtualPage && PhysicalPage + PageBytes > PhysicalPage;
            }
        }

        public bool Translates(ulong virtualAddress)
        {
            return Valid && virtualAddress - VirtualPage < PageBytes;
        }

        public bool Allows(HartAccess access)
        {
            switch(access)
            {
            case HartAccess.Read:
                return (Permissions & HartPermissions.Read) != 0;
            case HartAccess.Write:
                return (Permissions & HartPermissions.Write) != 0;
            default:
                return (Permissions & HartPermissions.Execute) != 0;
            }
        }

        public bool Overlaps(HartTlbEntry other)
        {
            return Valid && other.Valid && VirtualPage < other.VirtualEnd && other.VirtualPage < VirtualEnd;
        }

        public bool Equals(HartTlbEntry other)
        {
            return VirtualPage == other.VirtualPage && PhysicalPage == other.PhysicalPage && Permissions == other.Permissions
                && Size == other.Size && Valid == other.Valid;
        }

        public override bool Equals(object obj)
        {
            return obj is HartTlbEntry other && Equals(other);
        }

        public override int GetHashCode()
        {
            return HashCode.Combine(VirtualPage, PhysicalPage, Permissions, Size, Valid);
        }

        public override string ToString()
        {
            if(!Valid)
            {
                return "invalid";
            }
            var rights = ((Permissions & HartPermissions.Read) != 0 ? "r" : "-") + ((Permissions & HartPermissions.Write) != 0 ? "w" : "-")
                + ((Permissions & HartPermissions.Execute) != 0 ? "x" : "-");
            return $"0x{VirtualPage:X} -> 0x{PhysicalPage:X} ({PageBytes >> 10} KiB, {rights})";
        }
    }
}
