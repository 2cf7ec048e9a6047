using System;

namespace RenodeFrameAlloc.Devices
{
    // The guest's view of a HartSoftwareTlbModel: 32-bit registers, 64-bit values as LOW/HIGH
    // pairs; the table in docs/hart-tlb.md is this class. Software stages one entry in
    // ENTRY_VA/ENTRY_PA/ENTRY_ATTR (and INDEX), then writes COMMAND, as MIPS's EntryHi/EntryLo/
    // Index with TLBWI/TLBWR/TLBP/TLBR. Every bad access (unknown offset, read-only register, bad
    // value or command) sets STATUS.COMMAND_ERROR and is logged; none throws.
    // Kept in one class, register by register, so it ports to the declarative register table
    // (issue 12) as it is.
    public sealed class HartSoftwareTlbRegisters
    {
        public HartSoftwareTlbRegisters(HartSoftwareTlbModel tlb)
        {
            this.tlb = tlb ?? throw new ArgumentNullException(nameof(tlb));
        }

        public HartSoftwareTlbModel Tlb => tlb;

        // Clears the staging registers and resets the TLB.
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
                return (uint)tlb.EntryCount | (tlb.TsbAssistAvailable ? CapabilityTsb : 0) | CapabilityPageSizes | (Version << 24);
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
            case Registers.Misses:
                return (uint)tlb.Misses;
            case Registers.Refills:
                return (uint)tlb.Refills;
            case Registers.TsbRefills:
                return (uint)tlb.TsbRefills;
            case Registers.Traps:
                return (uint)tlb.Traps;
            case Registers.ProtectionFaults:
                return (uint)tlb.ProtectionFaults;
            case Registers.NestedFaults:
                return (uint)tlb.NestedFaults;
            case Registers.SegmentVirtualLow:
                return (uint)tlb.Segment.VirtualBase;
            case Registers.SegmentVirtualHigh:
                return (uint)(tlb.Segment.VirtualBase >> 32);
            case Registers.SegmentSizeLow:
                return (uint)tlb.Segment.Size;
            case Registers.SegmentSizeHigh:
                return (uint)(tlb.Segment.Size >> 32);
            case Registers.SegmentPhysicalLow:
                return (uint)tlb.Segment.PhysicalBase;
            case Registers.SegmentPhysicalHigh:
                return (uint)(tlb.Segment.PhysicalBase >> 32);
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
                if((value & ~AttributesMask) != 0 || ((value >> SizeShift) & SizeFieldMask) == ReservedSize)
                {
                    tlb.ReportProgrammingError($"ENTRY_ATTR value 0x{value:X} has reserved bits or size set");
                }
                entryAttributes = value & AttributesMask;
                break;
            case Registers.Command:
                Execute(value);
                break;
            case Registers.Status:
                tlb.AcknowledgeStatus((HartTlbStatus)value);
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
            case Registers.Misses:
            case Registers.Refills:
            case Registers.TsbRefills:
            case Registers.Traps:
            case Registers.ProtectionFaults:
            case Registers.NestedFaults:
            case Registers.SegmentVirtualLow:
            case Registers.SegmentVirtualHigh:
            case Registers.SegmentSizeLow:
            case Registers.SegmentSizeHigh:
            case Registers.SegmentPhysicalLow:
            case Registers.SegmentPhysicalHigh:
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
            {
                var written = tlb.WriteRandom(StagedEntry());
                if(written >= 0)
                {
                    index = (uint)written;
                }
                break;
            }
            case Command.Probe:
            {
                var found = tlb.Probe(entryVirtual);
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
            case Command.InvalidatePage:
                tlb.InvalidatePage(entryVirtual);
                break;
            case Command.Dismiss:
                tlb.Dismiss();
                break;
            case Command.ResetCounters:
                tlb.ResetCounters();
                break;
            default:
                tlb.ReportProgrammingError($"unknown command {command}");
                break;
            }
        }

        private HartTlbEntry StagedEntry()
        {
            HartTsbEntryFormat.TryDecodeSize((entryAttributes >> SizeShift) & SizeFieldMask, out var size);
            return new HartTlbEntry(entryVirtual, entryPhysical, (HartPermissions)((entryAttributes >> 1) & 7), size,
                (entryAttributes & ValidBit) != 0);
        }

        private void LoadStaging(HartTlbEntry entry)
        {
            entryVirtual = entry.VirtualPage;
            entryPhysical = entry.PhysicalPage;
            entryAttributes = entry.Valid
                ? ValidBit | ((uint)entry.Permissions << 1) | (HartTsbEntryFormat.SizeCode(entry.Size) << SizeShift)
                : 0;
        }

        private uint EncodeFaultInfo()
        {
            if(!tlb.HasLatchedFault)
            {
                return 0;
            }
            var fault = tlb.LatchedFault;
            return (uint)fault.Access | ((uint)fault.Cause << FaultCauseShift) | (fault.HartId << FaultHartShift);
        }

        private uint index;
        private bool probeFailed;
        private ulong entryVirtual;
        private ulong entryPhysical;
        private uint entryAttributes;
        private ulong tsbBaseStaging;

        private readonly HartSoftwareTlbModel tlb;

        private const uint Version = 1;
        private const uint CapabilityTsb = 1u << 16;
        // 4 KiB, 2 MiB and 1 GiB pages.
        private const uint CapabilityPageSizes = 7u << 17;
        private const uint IndexMask = 0xFFFF;
        private const uint ProbeFailedBit = 1u << 31;
        private const uint PageNumberLowMask = 0xFFFFF000;
        private const uint ValidBit = 1u << 0;
        private const int SizeShift = 4;
        private const uint SizeFieldMask = 3;
        private const uint ReservedSize = 3;
        private const uint AttributesMask = 0x3F;
        private const int FaultCauseShift = 4;
        private const int FaultHartShift = 16;
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
            FaultAddressLow = 0x30,
            FaultAddressHigh = 0x34,
            FaultInfo = 0x38,
            TsbBaseLow = 0x3C,
            TsbBaseHigh = 0x40,
            TsbConfig = 0x44,
            Misses = 0x48,
            Refills = 0x4C,
            TsbRefills = 0x50,
            Traps = 0x54,
            ProtectionFaults = 0x58,
            NestedFaults = 0x5C,
            SegmentVirtualLow = 0x60,
            SegmentVirtualHigh = 0x64,
            SegmentSizeLow = 0x68,
            SegmentSizeHigh = 0x6C,
            SegmentPhysicalLow = 0x70,
            SegmentPhysicalHigh = 0x74
        }

        private enum Command : uint
        {
            WriteIndexed = 1,
            WriteRandom = 2,
            Probe = 3,
            Read = 4,
            InvalidateAll = 5,
            InvalidatePage = 6,
            Dismiss = 7,
            ResetCounters = 8
        }
    }
}
