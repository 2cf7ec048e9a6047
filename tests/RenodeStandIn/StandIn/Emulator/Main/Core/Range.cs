using System;

namespace Antmicro.Renode.Core
{
    // An inclusive address range, as Renode's (ulong-based since 2024).
    public struct Range
    {
        public Range(ulong startAddress, ulong size)
        {
            if(size == 0 || startAddress + size - 1 < startAddress)
            {
                throw new ArgumentException($"Could not create range at 0x{startAddress:X}; bad size 0x{size:X}");
            }
            StartAddress = startAddress;
            EndAddress = startAddress + size - 1;
        }

        public bool Contains(ulong address)
        {
            return address >= StartAddress && address <= EndAddress;
        }

        public bool Contains(long address)
        {
            return address >= 0 && Contains((ulong)address);
        }

        public bool Contains(Range range)
        {
            return range.StartAddress >= StartAddress && range.EndAddress <= EndAddress;
        }

        public Range? Intersect(Range range)
        {
            var start = Math.Max(StartAddress, range.StartAddress);
            var end = Math.Min(EndAddress, range.EndAddress);
            if(start > end)
            {
                return null;
            }
            return new Range(start, end - start + 1);
        }

        public bool Intersects(Range range)
        {
            return Intersect(range).HasValue;
        }

        public override string ToString()
        {
            return string.Format("<0x{0:X8}, 0x{1:X8}>", StartAddress, EndAddress);
        }

        public override bool Equals(object obj)
        {
            return obj is Range other && this == other;
        }

        public override int GetHashCode()
        {
            return HashCode.Combine(StartAddress, EndAddress);
        }

        public static bool operator ==(Range range, Range other)
        {
            return range.StartAddress == other.StartAddress && range.EndAddress == other.EndAddress;
        }

        public static bool operator !=(Range range, Range other)
        {
            return !(range == other);
        }

        public ulong StartAddress { get; private set; }

        public ulong EndAddress { get; private set; }

        public ulong Size => EndAddress - StartAddress + 1;
    }
}
