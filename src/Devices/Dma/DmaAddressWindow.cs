using System;

namespace RenodeFrameAlloc.Devices.Dma
{
    // The bus addresses a DMA engine can drive: [Base, Last], inclusive so a full 64-bit window fits.
    public readonly struct DmaAddressWindow
    {
        public DmaAddressWindow(ulong baseAddress, ulong last)
        {
            if(last < baseAddress)
            {
                throw new ArgumentException($"Window end 0x{last:X} is below its base 0x{baseAddress:X}");
            }
            Base = baseAddress;
            Last = last;
        }

        // The window of an engine with addressBits address lines (1..64), e.g. 24 -> [0, 16 MiB).
        public static DmaAddressWindow FromBits(int addressBits)
        {
            if(addressBits < 1 || addressBits > 64)
            {
                throw new ArgumentOutOfRangeException(nameof(addressBits), addressBits, "Address bits must be 1..64");
            }
            return new DmaAddressWindow(0, addressBits == 64 ? ulong.MaxValue : (1UL << addressBits) - 1);
        }

        // [baseAddress, baseAddress + size); size 0 is rejected.
        public static DmaAddressWindow FromBaseAndSize(ulong baseAddress, ulong size)
        {
            if(size == 0 || size - 1 > ulong.MaxValue - baseAddress)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "Window size must be non-zero and end inside the 64-bit space");
            }
            return new DmaAddressWindow(baseAddress, baseAddress + (size - 1));
        }

        // True when every byte of [address, address + length) is inside; false for length 0.
        public bool Contains(ulong address, ulong length)
        {
            return length != 0 && address >= Base && address <= Last && length - 1 <= Last - address;
        }

        public override string ToString()
        {
            return $"[0x{Base:X}, 0x{Last:X}]";
        }

        public ulong Base { get; }

        public ulong Last { get; }
    }
}
