using System;

namespace RenodeFrameAlloc.Frames
{
    // A bounded window of physical memory that one set of bus masters can reach,
    // e.g. "isa" [0, 16 MiB) for 24-bit engines. Each range gets its own FrameList.
    public sealed class BusRange
    {
        public const ulong DefaultPageSize = 4096;

        public BusRange(string name, ulong baseAddress, ulong size, ulong pageSize = DefaultPageSize)
        {
            Name = name;
            Base = baseAddress;
            Size = size;
            PageSize = pageSize;
        }

        public string Name { get; }
        public ulong Base { get; }
        public ulong Size { get; }
        public ulong PageSize { get; }

        // Exclusive; saturates at ulong.MaxValue for a range that ends at the top of the address space.
        public ulong End => Size > ulong.MaxValue - Base ? ulong.MaxValue : Base + Size;

        public bool Contains(ulong address)
        {
            return address >= Base && address - Base < Size;
        }

        public override string ToString()
        {
            return $"{Name} [0x{Base:X}, 0x{End:X}) page 0x{PageSize:X}";
        }
    }
}
