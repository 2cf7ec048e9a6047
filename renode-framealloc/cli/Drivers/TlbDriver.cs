using System;
using RenodeFrameAlloc.Cli.Board;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // A reference driver for the software-managed TLB, through its registers only
    // (docs/software-tlb.md): TSB set-up, invalidation, counters, and the miss interrupt handler
    // that refills from the driver's I/O page table, as a MIPS kernel's refill handler does.
    public sealed class TlbDriver
    {
        public TlbDriver(DeviceBus bus, ulong registers)
        {
            this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
            this.registers = registers;
        }

        // Interrupts the handler was called for, misses it refilled and resumed, faults it aborted.
        public long Interrupts { get; private set; }
        public long MissesHandled { get; private set; }
        public long Aborted { get; private set; }

        // Entries, and whether the TSB assist is there; version 1 of the register map.
        public bool Probe(out int entries, out bool tsb)
        {
            var capabilities = Read(Capabilities);
            entries = (int)(capabilities & 0xFFFF);
            tsb = (capabilities & CapabilityTsb) != 0;
            return capabilities >> 24 == 1 && entries > 0;
        }

        public void ConfigureTsb(ulong baseAddress, int log2Entries, bool enable)
        {
            Write(TsbBaseLow, (uint)baseAddress);
            Write(TsbBaseHigh, (uint)(baseAddress >> 32));
            Write(TsbConfig, (enable ? 1u : 0u) | ((uint)log2Entries << 8));
        }

        public void InvalidateAll()
        {
            Write(Command, CommandInvalidateAll);
        }

        public void InvalidateInitiator(int initiator)
        {
            Write(EntryAttributes, (uint)initiator & IdMask);
            Write(Command, CommandInvalidateId);
        }

        public void ResetCounters()
        {
            Write(Command, CommandResetCounters);
        }

        public TlbCounters ReadCounters()
        {
            return new TlbCounters(Read(Hits), Read(Misses), Read(Refills), Read(TsbRefills), Read(Faults));
        }

        // True when STATUS has bits the handler must look at (a latched fault or a sticky error).
        public bool InterruptPending => (Read(Status) & StatusAll) != 0;

        // The TLB interrupt handler. A latched miss of a page the table maps with the right the
        // access needs is refilled at RANDOM, copied into the TSB (so the next miss on it needs no
        // interrupt) and resumed; any other fault is aborted. Sticky status bits are acknowledged.
        // Returns false when the interrupt was not the TLB's.
        public bool HandleInterrupt(IoPageTable table, TranslationStorageBuffer tsb)
        {
            var status = Read(Status);
            if((status & StatusAll) == 0)
            {
                return false;
            }
            Interrupts++;
            if((status & StatusFaultPending) != 0)
            {
                var address = Read(FaultAddressLow) | ((ulong)Read(FaultAddressHigh) << 32);
                var info = Read(FaultInfo);
                var initiator = (int)(info & IdMask);
                var write = (info & FaultWrite) != 0;
                var cause = (info >> 16) & 3;
                if(cause == CauseMiss && table.TryLookup(address, out var physical, out var readable, out var writable)
                    && (write ? writable : readable))
                {
                    var page = address & ~PageMask;
                    Write(EntryVirtualLow, (uint)page);
                    Write(EntryVirtualHigh, (uint)(page >> 32));
                    Write(EntryPhysicalLow, (uint)physical);
                    Write(EntryPhysicalHigh, (uint)(physical >> 32));
                    Write(EntryAttributes, ((uint)initiator & IdMask) | AttributeValid | (readable ? AttributeRead : 0) | (writable ? AttributeWrite : 0));
                    Write(Command, CommandWriteRandom);
                    tsb?.Store(page, physical, initiator, readable, writable);
                    Write(Command, CommandResume);
                    MissesHandled++;
                }
                else
                {
                    Write(Command, CommandAbort);
                    Aborted++;
                }
            }
            Write(Status, status & StatusSticky);
            return true;
        }

        private uint Read(ulong offset)
        {
            return bus.ReadDoubleWord(registers + offset);
        }

        private void Write(ulong offset, uint value)
        {
            bus.WriteDoubleWord(registers + offset, value);
        }

        private readonly DeviceBus bus;
        private readonly ulong registers;

        private const ulong Capabilities = 0x00;
        private const ulong EntryVirtualLow = 0x10;
        private const ulong EntryVirtualHigh = 0x14;
        private const ulong EntryPhysicalLow = 0x18;
        private const ulong EntryPhysicalHigh = 0x1C;
        private const ulong EntryAttributes = 0x20;
        private const ulong Command = 0x24;
        private const ulong Status = 0x28;
        private const ulong FaultAddressLow = 0x30;
        private const ulong FaultAddressHigh = 0x34;
        private const ulong FaultInfo = 0x38;
        private const ulong TsbBaseLow = 0x3C;
        private const ulong TsbBaseHigh = 0x40;
        private const ulong TsbConfig = 0x44;
        private const ulong Hits = 0x48;
        private const ulong Misses = 0x4C;
        private const ulong Refills = 0x50;
        private const ulong TsbRefills = 0x54;
        private const ulong Faults = 0x58;

        private const uint CapabilityTsb = 1u << 16;
        private const uint CommandWriteRandom = 2;
        private const uint CommandInvalidateAll = 5;
        private const uint CommandInvalidateId = 6;
        private const uint CommandResume = 8;
        private const uint CommandAbort = 9;
        private const uint CommandResetCounters = 10;
        private const uint StatusFaultPending = 1;
        private const uint StatusSticky = 0xE;
        private const uint StatusAll = 0xF;
        private const uint AttributeValid = 1u << 16;
        private const uint AttributeRead = 1u << 17;
        private const uint AttributeWrite = 1u << 18;
        private const uint FaultWrite = 1u << 12;
        private const uint CauseMiss = 1;
        private const uint IdMask = 0xFFF;
        private const ulong PageMask = 0xFFF;
    }
}
