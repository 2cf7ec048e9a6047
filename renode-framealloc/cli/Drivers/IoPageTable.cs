using System;
using System.Buffers.Binary;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // The driver's I/O page table, kept in guest memory (frames borrowed from the allocator, never
    // mapped): a linear table with one 8-byte little-endian entry per 4 KiB device-virtual page of
    // [VirtualBase, VirtualBase + Pages * 4 KiB). An entry is the physical page address with
    // VALID (bit 0), READ (bit 1) and WRITE (bit 2), the bits of a TSB entry's DATA word, so the
    // miss handler can copy it there. The miss handler reads it as the TLB's refill source.
    public sealed class IoPageTable
    {
        public IoPageTable(IPhysicalMemory cpuMemory, ulong tableAddress, ulong virtualBase, int pages)
        {
            cpu = cpuMemory ?? throw new ArgumentNullException(nameof(cpuMemory));
            TableAddress = tableAddress;
            VirtualBase = virtualBase;
            Pages = pages;
        }

        public ulong TableAddress { get; }
        public ulong VirtualBase { get; }
        public int Pages { get; }
        public ulong TableBytes => (ulong)Pages * EntryBytes;

        // Every entry invalid.
        public void Clear()
        {
            if(!cpu.TryWrite(TableAddress, new byte[TableBytes]))
            {
                throw new InvalidOperationException($"page table at 0x{TableAddress:X} is not RAM");
            }
        }

        public void Map(ulong virtualAddress, ulong physicalPage, bool read, bool write)
        {
            Span<byte> entry = stackalloc byte[EntryBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(entry, (physicalPage & ~PageMask) | Valid | (read ? Read : 0) | (write ? Write : 0));
            if(!cpu.TryWrite(EntryAddress(virtualAddress), entry))
            {
                throw new InvalidOperationException($"page table at 0x{TableAddress:X} is not RAM");
            }
        }

        // Walks the table for virtualAddress; false when it lies outside the table or its entry is not valid.
        public bool TryLookup(ulong virtualAddress, out ulong physicalPage, out bool read, out bool write)
        {
            physicalPage = 0;
            read = write = false;
            if(virtualAddress < VirtualBase || (virtualAddress - VirtualBase) >> PageShift >= (ulong)Pages)
            {
                return false;
            }
            Span<byte> entry = stackalloc byte[EntryBytes];
            if(!cpu.TryRead(EntryAddress(virtualAddress), entry))
            {
                return false;
            }
            var value = BinaryPrimitives.ReadUInt64LittleEndian(entry);
            if((value & Valid) == 0)
            {
                return false;
            }
            physicalPage = value & ~PageMask;
            read = (value & Read) != 0;
            write = (value & Write) != 0;
            return true;
        }

        private ulong EntryAddress(ulong virtualAddress)
        {
            if(virtualAddress < VirtualBase || (virtualAddress - VirtualBase) >> PageShift >= (ulong)Pages)
            {
                throw new ArgumentOutOfRangeException(nameof(virtualAddress), $"0x{virtualAddress:X} is outside the table's [0x{VirtualBase:X}, +{Pages} pages)");
            }
            return TableAddress + ((virtualAddress - VirtualBase) >> PageShift) * EntryBytes;
        }

        private readonly IPhysicalMemory cpu;

        public const int EntryBytes = 8;
        private const int PageShift = 12;
        private const ulong PageMask = 0xFFF;
        private const ulong Valid = 1;
        private const ulong Read = 2;
        private const ulong Write = 4;
    }
}
