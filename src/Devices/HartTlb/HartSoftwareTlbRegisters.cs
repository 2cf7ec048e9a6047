using System;
using RenodeFrameAlloc.Devices.Registers;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices
{
    // The guest's view of a HartSoftwareTlbModel: 32-bit registers, 64-bit values as LOW/HIGH
    // pairs; the table in docs/hart-tlb.md is this class. Software stages one entry in
    // ENTRY_VA/ENTRY_PA/ENTRY_ATTR (and INDEX), then writes COMMAND, as MIPS's EntryHi/EntryLo/
    // Index with TLBWI/TLBWR/TLBP/TLBR. Every bad access (unknown offset, read-only register, bad
    // value or command) sets STATUS.COMMAND_ERROR and is logged; none throws.
    // The map is the table in DefineRegisters (src/Devices/Registers).
    public sealed class HartSoftwareTlbRegisters : IRegisterFile
    {
        public HartSoftwareTlbRegisters(HartSoftwareTlbModel tlb)
        {
            this.tlb = tlb ?? throw new ArgumentNullException(nameof(tlb));
        }

        public HartSoftwareTlbModel Tlb => tlb;

        // Clears the staging registers and resets the TLB.
        public void Reset()
        {
            RegisterMap.Reset(this);
            tlb.Reset();
        }

        public uint Read(long offset)
        {
            return RegisterMap.Read(this, offset);
        }

        public void Write(long offset, uint value)
        {
            RegisterMap.Write(this, offset, value);
        }

        public const long Size = 0x100;

        // The register map of docs/hart-tlb.md. Unknown offsets and writes to read-only registers
        // are programming errors (COMMAND_ERROR and a log line), as every bad value is.
        private static RegisterTable<HartSoftwareTlbRegisters> DefineRegisters()
        {
            var table = new RegisterTable<HartSoftwareTlbRegisters>(Size,
                new UnknownOffsetPolicy<HartSoftwareTlbRegisters>(static (registers, message) => registers.tlb.ReportProgrammingError(message)));
            table.Define((long)Register.Capabilities, "CAPABILITIES")
                .WithValueField(0, 16, FieldMode.Read, static (r, _) => (ulong)r.tlb.EntryCount, name: "ENTRIES")
                .WithFlag(16, FieldMode.Read, static (r, _) => r.tlb.TsbAssistAvailable, name: "TSB")
                .WithValueField(17, 3, FieldMode.Read, static (_, _) => 7, name: "PAGE_SIZES")
                .WithValueField(24, 8, FieldMode.Read, static (_, _) => Version, name: "VERSION");
            table.Define((long)Register.Index, "INDEX", resetValue: 0)
                .WithValueField(0, 16, FieldMode.ReadWrite, static (r, _) => r.index, static (r, _, value) => r.index = (uint)value, "INDEX")
                .WithFlag(31, FieldMode.Read, static (r, _) => r.probeFailed, static (r, _, value) => r.probeFailed = value, "PROBE_FAILED");
            table.Define((long)Register.Random, "RANDOM")
                .WithValueField(0, 16, FieldMode.Read, static (r, _) => (ulong)r.tlb.RandomIndex);
            table.Define((long)Register.Wired, "WIRED")
                .WithValueField(0, 32, FieldMode.ReadWrite, static (r, _) => (ulong)r.tlb.Wired,
                    static (r, _, value) => r.tlb.SetWired((int)Math.Min(value, int.MaxValue)));
            table.DefineQuad((long)Register.EntryVirtual, "ENTRY_VA", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (r, _) => r.entryVirtual, static (r, _, value) => r.entryVirtual = value,
                    writableBits: PageNumberMask);
            table.DefineQuad((long)Register.EntryPhysical, "ENTRY_PA", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (r, _) => r.entryPhysical, static (r, _, value) => r.entryPhysical = value,
                    writableBits: PageNumberMask);
            table.Define((long)Register.EntryAttributes, "ENTRY_ATTR", resetValue: 0)
                .WithValueField(0, 6, FieldMode.ReadWrite, static (r, _) => r.entryAttributes, static (r, _, value) => r.entryAttributes = (uint)value, "VALID_RWX_SIZE")
                .WithReservedBits(6, 26)
                .WithWriteCallback(static (r, _, value) =>
                {
                    if((value & ~AttributesMask) != 0 || ((value >> SizeShift) & SizeFieldMask) == ReservedSize)
                    {
                        r.tlb.ReportProgrammingError($"ENTRY_ATTR value 0x{value:X} has reserved bits or size set");
                    }
                });
            table.Define((long)Register.Command, "COMMAND")
                .WithValueField(0, 32, FieldMode.Write, write: static (r, _, value) => r.Execute((uint)value));
            table.Define((long)Register.Status, "STATUS")
                .WithFlag(0, FieldMode.Read, static (r, _) => (r.tlb.Status & HartTlbStatus.FaultPending) != 0, name: "FAULT_PENDING")
                .WithFlag(1, FieldMode.Read | FieldMode.WriteOneToClear, static (r, _) => (r.tlb.Status & HartTlbStatus.CommandError) != 0,
                    static (r, _, _) => r.tlb.AcknowledgeStatus(HartTlbStatus.CommandError), "COMMAND_ERROR")
                .WithFlag(2, FieldMode.Read | FieldMode.WriteOneToClear, static (r, _) => (r.tlb.Status & HartTlbStatus.NestedFault) != 0,
                    static (r, _, _) => r.tlb.AcknowledgeStatus(HartTlbStatus.NestedFault), "NESTED");
            table.DefineQuad((long)Register.FaultAddress, "FAULT_VA")
                .WithValueField(0, 64, FieldMode.Read, static (r, _) => r.tlb.LatchedFault.VirtualAddress);
            table.Define((long)Register.FaultInfo, "FAULT_INFO")
                .WithValueField(0, 2, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault ? (ulong)r.tlb.LatchedFault.Access : 0, name: "ACCESS")
                .WithFlag(4, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault && r.tlb.LatchedFault.Cause == HartFaultCause.Protection, name: "PROTECTION")
                .WithValueField(16, 16, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault ? r.tlb.LatchedFault.HartId & 0xFFFF : 0, name: "HART");
            table.DefineQuad((long)Register.TsbBase, "TSB_BASE", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (r, _) => r.tsbBaseStaging, static (r, _, value) => r.tsbBaseStaging = value);
            // ENABLE and LOG2_ENTRIES take effect together, with TSB_BASE, at each write.
            table.Define((long)Register.TsbConfig, "TSB_CONFIG")
                .WithFlag(0, FieldMode.ReadWrite, static (r, _) => r.tlb.TsbEnabled, name: "ENABLE")
                .WithValueField(8, 5, FieldMode.ReadWrite, static (r, _) => (ulong)r.tlb.TsbLog2Entries, name: "LOG2_ENTRIES")
                .WithWriteCallback(static (r, _, value) => r.tlb.ConfigureTsb(r.tsbBaseStaging, (int)((value >> TsbSizeShift) & TsbSizeFieldMask), (value & TsbEnableBit) != 0));
            table.Define((long)Register.Misses, "MISSES").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Misses);
            table.Define((long)Register.Refills, "REFILLS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Refills);
            table.Define((long)Register.TsbRefills, "TSB_REFILLS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.TsbRefills);
            table.Define((long)Register.Traps, "TRAPS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Traps);
            table.Define((long)Register.ProtectionFaults, "PROTECTION_FAULTS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.ProtectionFaults);
            table.Define((long)Register.NestedFaults, "NESTED_FAULTS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.NestedFaults);
            table.DefineQuad((long)Register.SegmentVirtual, "SEGMENT_VA")
                .WithValueField(0, 64, FieldMode.Read, static (r, _) => r.tlb.Segment.VirtualBase);
            table.DefineQuad((long)Register.SegmentSize, "SEGMENT_SIZE")
                .WithValueField(0, 64, FieldMode.Read, static (r, _) => r.tlb.Segment.Size);
            table.DefineQuad((long)Register.SegmentPhysical, "SEGMENT_PA")
                .WithValueField(0, 64, FieldMode.Read, static (r, _) => r.tlb.Segment.PhysicalBase);
            return table;
        }

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

        private uint index;
        private bool probeFailed;
        private ulong entryVirtual;
        private ulong entryPhysical;
        private uint entryAttributes;
        private ulong tsbBaseStaging;

        private readonly HartSoftwareTlbModel tlb;

        private static readonly RegisterTable<HartSoftwareTlbRegisters> RegisterMap = DefineRegisters();

        private const uint Version = 1;
        private const ulong PageNumberMask = ~0xFFFUL;
        private const uint ValidBit = 1u << 0;
        private const int SizeShift = 4;
        private const uint SizeFieldMask = 3;
        private const uint ReservedSize = 3;
        private const uint AttributesMask = 0x3F;
        private const uint TsbEnableBit = 1;
        private const int TsbSizeShift = 8;
        private const uint TsbSizeFieldMask = 0x1F;

        private enum Register : long
        {
            Capabilities = 0x00,
            Index = 0x04,
            Random = 0x08,
            Wired = 0x0C,
            EntryVirtual = 0x10,
            EntryPhysical = 0x18,
            EntryAttributes = 0x20,
            Command = 0x24,
            Status = 0x28,
            FaultAddress = 0x30,
            FaultInfo = 0x38,
            TsbBase = 0x3C,
            TsbConfig = 0x44,
            Misses = 0x48,
            Refills = 0x4C,
            TsbRefills = 0x50,
            Traps = 0x54,
            ProtectionFaults = 0x58,
            NestedFaults = 0x5C,
            SegmentVirtual = 0x60,
            SegmentSize = 0x68,
            SegmentPhysical = 0x70
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
