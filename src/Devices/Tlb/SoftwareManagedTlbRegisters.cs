using System;
using RenodeFrameAlloc.Devices.Registers;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // The guest's view of a SoftwareManagedTlbModel: 32-bit registers (docs/software-tlb.md has the table).
    // Software stages one entry in ENTRY_VA/ENTRY_PA/ENTRY_ATTR and INDEX, then writes a command,
    // as with MIPS's EntryHi/EntryLo/Index and TLBWI/TLBWR/TLBP/TLBR. Every bad access (unknown
    // offset, read-only register, bad value, bad command) sets STATUS.COMMAND_ERROR, raises the
    // interrupt when enabled and is logged; none throws. The map is the table in DefineRegisters.
    public sealed class SoftwareManagedTlbRegisters : IRegisterFile
    {
        public SoftwareManagedTlbRegisters(SoftwareManagedTlbModel tlb)
        {
            this.tlb = tlb ?? throw new ArgumentNullException(nameof(tlb));
        }

        public SoftwareManagedTlbModel Tlb => tlb;

        // Resets the staging registers and the TLB.
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

        // The register map of docs/software-tlb.md. Its unknown-offset policy is the device's
        // documented one: an unknown offset or a write to a read-only register is a programming
        // error (COMMAND_ERROR, interrupt when enabled, a log line).
        private static RegisterTable<SoftwareManagedTlbRegisters> DefineRegisters()
        {
            var table = new RegisterTable<SoftwareManagedTlbRegisters>(Size,
                new UnknownOffsetPolicy<SoftwareManagedTlbRegisters>(static (registers, message) => registers.tlb.ReportProgrammingError(message)));
            table.Define((long)Register.Capabilities, "CAPABILITIES")
                .WithValueField(0, 16, FieldMode.Read, static (r, _) => (ulong)r.tlb.EntryCount, name: "ENTRIES")
                .WithFlag(16, FieldMode.Read, static (r, _) => r.tlb.TsbAssistAvailable, name: "TSB")
                .WithFlag(17, FieldMode.Read, static (_, _) => true, name: "LARGE")
                .WithValueField(24, 8, FieldMode.Read, static (_, _) => Version, name: "VERSION");
            table.Define((long)Register.Index, "INDEX", resetValue: 0)
                .WithValueField(0, 16, FieldMode.ReadWrite, static (r, _) => r.index, static (r, _, value) => r.index = (uint)value, "INDEX")
                .WithFlag(31, FieldMode.Read, static (r, _) => r.probeFailed, static (r, _, value) => r.probeFailed = value, "PROBE_FAIL");
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
                .WithValueField(0, 12, FieldMode.ReadWrite, static (r, _) => r.entryAttributes & InitiatorMask, static (r, _, value) => r.SetAttributes(InitiatorMask, (uint)value), "ID")
                .WithFlag(16, FieldMode.ReadWrite, static (r, _) => (r.entryAttributes & ValidBit) != 0, static (r, _, value) => r.SetAttribute(ValidBit, value), "VALID")
                .WithFlag(17, FieldMode.ReadWrite, static (r, _) => (r.entryAttributes & ReadBit) != 0, static (r, _, value) => r.SetAttribute(ReadBit, value), "READ")
                .WithFlag(18, FieldMode.ReadWrite, static (r, _) => (r.entryAttributes & WriteBit) != 0, static (r, _, value) => r.SetAttribute(WriteBit, value), "WRITE")
                .WithFlag(19, FieldMode.ReadWrite, static (r, _) => (r.entryAttributes & LargeBit) != 0, static (r, _, value) => r.SetAttribute(LargeBit, value), "LARGE")
                .WithFlag(20, FieldMode.ReadWrite, static (r, _) => (r.entryAttributes & GlobalBit) != 0, static (r, _, value) => r.SetAttribute(GlobalBit, value), "GLOBAL");
            table.Define((long)Register.Command, "COMMAND")
                .WithValueField(0, 32, FieldMode.Write, write: static (r, _, value) => r.Execute((uint)value));
            table.Define((long)Register.Status, "STATUS")
                .WithFlag(0, FieldMode.Read, static (r, _) => (r.tlb.Status & TlbStatus.FaultPending) != 0, name: "FAULT_PENDING")
                .WithFlag(1, FieldMode.Read | FieldMode.WriteOneToClear, static (r, _) => (r.tlb.Status & TlbStatus.Overrun) != 0,
                    static (r, _, _) => r.tlb.AcknowledgeStatus(TlbStatus.Overrun), "OVERRUN")
                .WithFlag(2, FieldMode.Read | FieldMode.WriteOneToClear, static (r, _) => (r.tlb.Status & TlbStatus.CommandError) != 0,
                    static (r, _, _) => r.tlb.AcknowledgeStatus(TlbStatus.CommandError), "COMMAND_ERROR")
                .WithFlag(3, FieldMode.Read | FieldMode.WriteOneToClear, static (r, _) => (r.tlb.Status & TlbStatus.TsbError) != 0,
                    static (r, _, _) => r.tlb.AcknowledgeStatus(TlbStatus.TsbError), "TSB_ERROR");
            table.Define((long)Register.InterruptEnable, "INTERRUPT_ENABLE")
                .WithValueField(0, 4, FieldMode.ReadWrite, static (r, _) => (ulong)r.tlb.InterruptEnable,
                    static (r, _, value) => r.tlb.InterruptEnable = (TlbStatus)value);
            table.DefineQuad((long)Register.FaultAddress, "FAULT_VA")
                .WithValueField(0, 64, FieldMode.Read, static (r, _) => r.tlb.LatchedFault.VirtualAddress);
            table.Define((long)Register.FaultInfo, "FAULT_INFO")
                .WithValueField(0, 12, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault ? (ulong)r.tlb.LatchedFault.InitiatorId : 0, name: "ID")
                .WithFlag(12, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault && r.tlb.LatchedFault.Access == DmaAccess.Write, name: "WRITE")
                .WithValueField(16, 2, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault ? (ulong)r.tlb.LatchedFault.Cause : 0, name: "CAUSE")
                .WithFlag(20, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault && r.tlb.LatchedFault.Stalled, name: "STALLED")
                .WithValueField(24, 8, FieldMode.Read, static (r, _) => r.tlb.HasLatchedFault ? (ulong)Math.Min(r.tlb.QueuedFaults, 255) : 0, name: "QUEUED");
            table.DefineQuad((long)Register.TsbBase, "TSB_BASE", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (r, _) => r.tsbBaseStaging, static (r, _, value) => r.tsbBaseStaging = value);
            // ENABLE and LOG2_ENTRIES take effect together, with TSB_BASE, at each write.
            table.Define((long)Register.TsbConfig, "TSB_CONFIG")
                .WithFlag(0, FieldMode.ReadWrite, static (r, _) => r.tlb.TsbEnabled, name: "ENABLE")
                .WithValueField(8, 5, FieldMode.ReadWrite, static (r, _) => (ulong)r.tlb.TsbLog2Entries, name: "LOG2_ENTRIES")
                .WithWriteCallback(static (r, _, value) => r.tlb.ConfigureTsb(r.tsbBaseStaging, (int)((value >> TsbSizeShift) & TsbSizeFieldMask), (value & TsbEnableBit) != 0));
            table.Define((long)Register.Hits, "HITS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Hits);
            table.Define((long)Register.Misses, "MISSES").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Misses);
            table.Define((long)Register.Refills, "REFILLS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Refills);
            table.Define((long)Register.TsbRefills, "TSB_REFILLS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.TsbRefills);
            table.Define((long)Register.Faults, "FAULTS").WithValueField(0, 32, FieldMode.Read, static (r, _) => (uint)r.tlb.Faults);
            return table;
        }

        private void SetAttribute(uint bit, bool set)
        {
            entryAttributes = set ? entryAttributes | bit : entryAttributes & ~bit;
        }

        private void SetAttributes(uint mask, uint value)
        {
            entryAttributes = (entryAttributes & ~mask) | (value & mask);
        }

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

        private uint index;
        private bool probeFailed;
        private ulong entryVirtual;
        private ulong entryPhysical;
        private uint entryAttributes;
        private ulong tsbBaseStaging;

        private readonly SoftwareManagedTlbModel tlb;

        private static readonly RegisterTable<SoftwareManagedTlbRegisters> RegisterMap = DefineRegisters();

        private const uint Version = 1;
        private const ulong PageNumberMask = ~0xFFFUL;
        private const uint InitiatorMask = 0xFFF;
        private const uint ValidBit = 1u << 16;
        private const uint ReadBit = 1u << 17;
        private const uint WriteBit = 1u << 18;
        private const uint LargeBit = 1u << 19;
        private const uint GlobalBit = 1u << 20;
        private const uint TsbEnableBit = 1;
        private const int TsbSizeShift = 8;
        private const uint TsbSizeFieldMask = 0x1F;

        // Offsets of docs/software-tlb.md; a 64-bit pair is named by its LO half.
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
            InterruptEnable = 0x2C,
            FaultAddress = 0x30,
            FaultInfo = 0x38,
            TsbBase = 0x3C,
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
