using System;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // The guest's view of a SoftwareManagedTlbModel: 32-bit registers (docs/software-tlb.md has the table).
    // Software stages one entry in ENTRY_VA/ENTRY_PA/ENTRY_ATTR and INDEX, then writes a command,
    // as with MIPS's EntryHi/EntryLo/Index and TLBWI/TLBWR/TLBP/TLBR. Every bad access (unknown
    // offset, read-only register, bad value, bad command) sets STATUS.COMMAND_ERROR, raises the
    // interrupt when enabled and is logged; none throws.
    public sealed class SoftwareManagedTlbRegisters
    {
        public SoftwareManagedTlbRegisters(SoftwareManagedTlbModel tlb)
        {
            this.tlb = tlb ?? throw new ArgumentNullException(nameof(tlb));
        }

        public SoftwareManagedTlbModel Tlb => tlb;

        // Resets the staging registers and the TLB.
        public void Reset()
        {
            index = 0;
            probeFailed = false;
            entryVirtual = 0;
            entryPhysical = 0;
            entryAttributes = 0;
            tsbBaseStaging = 0;
            tlb.Reset();
        }

        public uint Read(long offset)
        {
            switch((Registers)offset)
            {
            case Registers.Capabilities:
                return (uint)tlb.EntryCount | (tlb.TsbAssistAvailable ? CapabilityTsb : 0) | CapabilityLargePages | (Version << 24);
            case Registers.Index:
                return index | (probeFailed ? ProbeFailedBit : 0);
            case Registers.Random:
                return (uint)tlb.RandomIndex;
            case Registers.Wired:
                return (uint)tlb.Wired;
            case Registers.EntryVirtualLow:
                return (uint)entryVirtual;
            case Registers.EntryVirtualHigh:
                return (uint)(entryVirtual >> 32);
            case Registers.EntryPhysicalLow:
                return (uint)entryPhysical;
            case Registers.EntryPhysicalHigh:
                return (uint)(entryPhysical >> 32);
            case Registers.EntryAttributes:
                return entryAttributes;
            case Registers.Command:
                return 0;
            case Registers.Status:
                return (uint)tlb.Status;
            case Registers.InterruptEnable:
                return (uint)tlb.InterruptEnable;
            case Registers.FaultAddressLow:
                return (uint)tlb.LatchedFault.VirtualAddress;
            case Registers.FaultAddressHigh:
                return (uint)(tlb.LatchedFault.VirtualAddress >> 32);
            case Registers.FaultInfo:
                return EncodeFaultInfo();
            case Registers.TsbBaseLow:
                return (uint)tsbBaseStaging;
            case Registers.TsbBaseHigh:
                return (uint)(tsbBaseStaging >> 32);
            case Registers.TsbConfig:
                return (tlb.TsbEnabled ? TsbEnableBit : 0) | ((uint)tlb.TsbLog2Entries << TsbSizeShift);
            case Registers.Hits:
                return (uint)tlb.Hits;
            case Registers.Misses:
                return (uint)tlb.Misses;
            case Registers.Refills:
                return (uint)tlb.Refills;
            case Registers.TsbRefills:
                return (uint)tlb.TsbRefills;
            case Registers.Faults:
                return (uint)tlb.Faults;
            default:
                tlb.ReportProgrammingError($"read from unknown register offset 0x{offset:X}");
                return 0;
            }
        }

        public void Write(long offset, uint value)
        {
            switch((Registers)offset)
            {
            case Registers.Index:
                index = value & IndexMask;
                break;
            case Registers.Wired:
                tlb.SetWired((int)Math.Min(value, int.MaxValue));
                break;
            case Registers.EntryVirtualLow:
                entryVirtual = (entryVirtual & 0xFFFFFFFF00000000UL) | (value & PageNumberLowMask);
                break;
            case Registers.EntryVirtualHigh:
                entryVirtual = (entryVirtual & 0xFFFFFFFFUL) | ((ulong)value << 32);
                break;
            case Registers.EntryPhysicalLow:
                entryPhysical = (entryPhysical & 0xFFFFFFFF00000000UL) | (value & PageNumberLowMask);
                break;
            case Registers.EntryPhysicalHigh:
                entryPhysical = (entryPhysical & 0xFFFFFFFFUL) | ((ulong)value << 32);
                break;
            case Registers.EntryAttributes:
                entryAttributes = value & AttributesMask;
                break;
            case Registers.Command:
                Execute(value);
                break;
            case Registers.Status:
                tlb.AcknowledgeStatus((TlbStatus)value);
                break;
            case Registers.InterruptEnable:
                tlb.InterruptEnable = (TlbStatus)value;
                break;
            case Registers.TsbBaseLow:
                tsbBaseStaging = (tsbBaseStaging & 0xFFFFFFFF00000000UL) | value;
                break;
            case Registers.TsbBaseHigh:
                tsbBaseStaging = (tsbBaseStaging & 0xFFFFFFFFUL) | ((ulong)value << 32);
                break;
            case Registers.TsbConfig:
                tlb.ConfigureTsb(tsbBaseStaging, (int)((value >> TsbSizeShift) & TsbSizeFieldMask), (value & TsbEnableBit) != 0);
                break;
            case Registers.Capabilities:
            case Registers.Random:
            case Registers.FaultAddressLow:
            case Registers.FaultAddressHigh:
            case Registers.FaultInfo:
            case Registers.Hits:
            case Registers.Misses:
            case Registers.Refills:
            case Registers.TsbRefills:
            case Registers.Faults:
                tlb.ReportProgrammingError($"write of 0x{value:X} to read-only register {(Registers)offset}");
                break;
            default:
                tlb.ReportProgrammingError($"write of 0x{value:X} to unknown register offset 0x{offset:X}");
                break;
            }
        }

        public const long Size = 0x100;

        private void Execute(uint command)
        {
            switch((Command)command)
            {
            case Command.WriteIndexed:
                tlb.WriteIndexed((int)index, StagedEntry());
                break;
            case Command.WriteRandom:
                tlb.WriteRandom(StagedEntry());
                break;
            case Command.Probe:
            {
                var found = tlb.Probe(entryVirtual, StagedInitiator());
                probeFailed = found < 0;
                if(found >= 0)
                {
                    index = (uint)found;
                }
                break;
            }
            case Command.Read:
                if(index >= tlb.EntryCount)
                {
                    tlb.ReportProgrammingError($"read of entry {index}, outside [0, {tlb.EntryCount})");
                    break;
                }
                LoadStaging(tlb.GetEntry((int)index));
                break;
            case Command.InvalidateAll:
                tlb.InvalidateAll();
                break;
            case Command.InvalidateInitiator:
                tlb.InvalidateInitiator(StagedInitiator());
                break;
            case Command.InvalidatePage:
                tlb.InvalidatePage(entryVirtual, StagedInitiator());
                break;
            case Command.Resume:
                tlb.Resume();
                break;
            case Command.Abort:
                tlb.Abort();
                break;
            case Command.ResetCounters:
                tlb.ResetCounters();
                break;
            default:
                tlb.ReportProgrammingError($"unknown command {command}");
                break;
            }
        }

        private TlbEntry StagedEntry()
        {
            return new TlbEntry(entryVirtual, entryPhysical, StagedInitiator(),
                (entryAttributes & ReadBit) != 0, (entryAttributes & WriteBit) != 0,
                (entryAttributes & LargeBit) != 0 ? TlbPageSize.Size2MiB : TlbPageSize.Size4KiB,
                (entryAttributes & GlobalBit) != 0, (entryAttributes & ValidBit) != 0);
        }

        private int StagedInitiator()
        {
            return (int)(entryAttributes & InitiatorMask);
        }

        private void LoadStaging(TlbEntry entry)
        {
            entryVirtual = entry.VirtualPage;
            entryPhysical = entry.PhysicalPage;
            entryAttributes = ((uint)entry.InitiatorId & InitiatorMask)
                | (entry.Valid ? ValidBit : 0) | (entry.Readable ? ReadBit : 0) | (entry.Writable ? WriteBit : 0)
                | (entry.Size == TlbPageSize.Size2MiB ? LargeBit : 0) | (entry.Global ? GlobalBit : 0);
        }

        private uint EncodeFaultInfo()
        {
            if(!tlb.HasLatchedFault)
            {
                return 0;
            }
            var fault = tlb.LatchedFault;
            return ((uint)fault.InitiatorId & InitiatorMask)
                | (fault.Access == DmaAccess.Write ? FaultWriteBit : 0)
                | ((uint)fault.Cause << FaultCauseShift)
                | (fault.Stalled ? FaultStalledBit : 0)
                | ((uint)Math.Min(tlb.QueuedFaults, 255) << FaultQueuedShift);
        }

        private uint index;
        private bool probeFailed;
        private ulong entryVirtual;
        private ulong entryPhysical;
        private uint entryAttributes;
        private ulong tsbBaseStaging;

        private readonly SoftwareManagedTlbModel tlb;

        private const uint Version = 1;
        private const uint CapabilityTsb = 1u << 16;
        private const uint CapabilityLargePages = 1u << 17;
        private const uint IndexMask = 0xFFFF;
        private const uint ProbeFailedBit = 1u << 31;
        private const uint PageNumberLowMask = 0xFFFFF000;
        private const uint InitiatorMask = 0xFFF;
        private const uint ValidBit = 1u << 16;
        private const uint ReadBit = 1u << 17;
        private const uint WriteBit = 1u << 18;
        private const uint LargeBit = 1u << 19;
        private const uint GlobalBit = 1u << 20;
        private const uint AttributesMask = InitiatorMask | ValidBit | ReadBit | WriteBit | LargeBit | GlobalBit;
        private const uint FaultWriteBit = 1u << 12;
        private const int FaultCauseShift = 16;
        private const uint FaultStalledBit = 1u << 20;
        private const int FaultQueuedShift = 24;
        private const uint TsbEnableBit = 1;
        private const int TsbSizeShift = 8;
        private const uint TsbSizeFieldMask = 0x1F;

        private enum Registers : long
        {
            Capabilities = 0x00,
            Index = 0x04,
            Random = 0x08,
            Wired = 0x0C,
            EntryVirtualLow = 0x10,
            EntryVirtualHigh = 0x14,
            EntryPhysicalLow = 0x18,
            EntryPhysicalHigh = 0x1C,
            EntryAttributes = 0x20,
            Command = 0x24,
            Status = 0x28,
            InterruptEnable = 0x2C,
            FaultAddressLow = 0x30,
            FaultAddressHigh = 0x34,
            FaultInfo = 0x38,
            TsbBaseLow = 0x3C,
            TsbBaseHigh = 0x40,
            TsbConfig = 0x44,
            Hits = 0x48,
            Misses = 0x4C,
            Refills = 0x50,
            TsbRefills = 0x54,
            Faults = 0x58
        }

        private enum Command : uint
        {
            WriteIndexed = 1,
            WriteRandom = 2,
            Probe = 3,
            Read = 4,
            InvalidateAll = 5,
            InvalidateInitiator = 6,
            InvalidatePage = 7,
            Resume = 8,
            Abort = 9,
            ResetCounters = 10
        }
    }
}
