using System;
using Antmicro.Renode.Exceptions;

namespace Antmicro.Renode.Core
{
    // An inclusive address range, as Renode's (ulong-based). As there, the constructor only
    // refuses a range that wraps past 2^64 (RecoverableException); a size of 0 is not checked.
    public struct Range
    {
        public Range(ulong startAddress, ulong size)
        {
            StartAddress = startAddress;
            EndAddress = startAddress + size - 1;

            // Check if overflow occurred.
            CreationAssert(EndAddress >= StartAddress, startAddress, () => $"size is too large: 0x{size:X}");
        }

        public bool Contains(ulong address)
        {
            return address >= StartAddress && address <= EndAddress;
        }

        public bool Contains(long address)
        {
            if(address < 0)
            {
                return false;
            }
            return Contains((ulong)address);
        }

        public bool Contains(Range range)
        {
            return range.StartAddress >= StartAddress && range.EndAddress <= EndAddress;
        }

        // Intersection if ranges overlap, null otherwise.
        public Range? Intersect(Range range)
        {
            var startAddress = Math.Max(StartAddress, range.StartAddress);
            var endAddress = Math.Min(EndAddress, range.EndAddress);
            if(startAddress > endAddress)
            {
                return null;
            }
            return new Range(startAddress, endAddress - startAddress + 1);
        }

        public bool Intersects(Range range)
        {
            return Intersect(range).HasValue;
        }

        public ulong StartAddress
        {
            get;
            private set;
        }

        public ulong EndAddress
        {
            get;
            private set;
        }

        public ulong Size
        {
            get
            {
                return EndAddress - StartAddress + 1;
            }
        }

        public Range MoveTo(ulong baseAddr) => new Range(baseAddr, Size);

        public override string ToString()
        {
            return string.Format("<0x{0:X8}, 0x{1:X8}>", StartAddress, EndAddress);
        }

        public override bool Equals(object obj)
        {
            if(obj == null)
            {
                return false;
            }
            if(obj.GetType() != typeof(Range))
            {
                return false;
            }
            var other = (Range)obj;
            return this == other;
        }

        public override int GetHashCode()
        {
            unchecked
            {
                return 7 * StartAddress.GetHashCode() ^ 31 * EndAddress.GetHashCode();
            }
        }

        public static bool operator ==(Range range, Range other)
        {
            return range.StartAddress == other.StartAddress && range.EndAddress == other.EndAddress;
        }

        public static bool operator !=(Range range, Range other)
        {
            return !(range == other);
        }

        internal static void CreationAssert(bool condition, ulong startAddress, Func<string> reason)
        {
            if(!condition)
            {
                throw new RecoverableException($"Could not create range at 0x{startAddress:X}; {reason()}");
            }
        }
    }
}
