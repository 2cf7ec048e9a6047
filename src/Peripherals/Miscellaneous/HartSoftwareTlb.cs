using System;
using System.Reflection;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals;
using static Antmicro.Renode.Peripherals.Miscellaneous.ExternalMmuBase;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // Renode peripheral over RenodeFrameAlloc.Devices.HartSoftwareTlbModel: gives one RISC-V hart
    // a software-refilled TLB (registers, trap contract and the unmapped segment in
    // docs/hart-tlb.md). In a .repl, after the board:
    //     hartTlb: Miscellaneous.HartSoftwareTlb @ sysbus 0x10006000
    //         cpu: cpu
    //         entryCount: 16
    //         unmappedSize: 0x200000000
    // It sets the hart to one-instruction translation blocks (MaximumBlockSize 1), at construction
    // and again after every snapshot load, which Renode does not keep it through (docs/hart-tlb.md,
    // "Why one instruction per block"). From then on the hart translates every access through
    // this TLB (Renode's external MMU, ExternalMmuPosition.Replace: the hart's own Sv39 MMU is
    // bypassed). A miss traps precisely: the fault hook's second call raises the page-fault
    // exception on the hart (TranslationCPU.RaiseException) and answers NoFault, so tlib restores
    // the faulting instruction's state and takes the exception there (mepc = its PC, no side
    // effect of it).
    //
    // No exception leaves a register access or the fault hook: they are caught and logged.
    public class HartSoftwareTlb : IDoubleWordPeripheral, IKnownSize, IHartTlbHost, IModelAdapter
    {
        // cpu: the hart (any Renode CPU with an external MMU and a public RaiseException(uint),
        // i.e. every TranslationCPU). entryCount: 1..256. wiredEntries: low entries random writes
        // never replace. unmappedBase/Size/Physical: the unmapped segment (4 KiB-aligned; the
        // default maps the low 8 GiB, the whole reference board, onto itself). tsbAssist: whether
        // software may enable the TSB assist. seed: the random-replacement generator's start.
        public HartSoftwareTlb(IMachine machine, ICPUWithExternalMmu cpu, int entryCount = 16, int wiredEntries = 0,
            ulong unmappedBase = 0, ulong unmappedSize = 0x200000000, ulong unmappedPhysical = 0, bool tsbAssist = true,
            uint seed = HartSoftwareTlbModel.DefaultSeed)
        {
            if(machine == null || cpu == null)
            {
                throw new ConstructionException("HartSoftwareTlb needs a machine and a cpu");
            }
            this.cpu = cpu;
            hartId = cpu.MultiprocessingId;
            BindRaiseException();
            try
            {
                var segment = new UnmappedSegment(unmappedBase, unmappedSize, unmappedPhysical);
                var memory = tsbAssist ? new SystemBusMemory(machine.GetSystemBus(this)) : null;
                cpu.EnableExternalWindowMmu(ExternalMmuPosition.Replace);
                model = new HartSoftwareTlbModel(entryCount, wiredEntries, segment, this, memory, seed);
            }
            catch(ArgumentOutOfRangeException e)
            {
                throw new ConstructionException($"HartSoftwareTlb: {e.Message}", e);
            }
            registers = new HartSoftwareTlbRegisters(model);
            cpu.AddHookOnMmuFault(OnMmuFault);
            RunSingleInstructionBlocks();
        }

        public void Reset()
        {
            try
            {
                registers.Reset();
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "reset", e);
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            return EntryPointBoundary.Read(this, registers, offset);
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            EntryPointBoundary.Write(this, registers, offset, value);
        }

        // Monitor: the TLB contents as a table (one row per entry, wired ones marked).
        public string[,] Dump()
        {
            var table = new string[model.EntryCount + 1, 6];
            var header = new[] { "Index", "Wired", "Virtual", "Physical", "Size", "Rights" };
            for(var column = 0; column < header.Length; column++)
            {
                table[0, column] = header[column];
            }
            for(var i = 0; i < model.EntryCount; i++)
            {
                var entry = model.GetEntry(i);
                table[i + 1, 0] = i.ToString();
                table[i + 1, 1] = i < model.Wired ? "yes" : "";
                table[i + 1, 2] = entry.Valid ? $"0x{entry.VirtualPage:X}" : "-";
                table[i + 1, 3] = entry.Valid ? $"0x{entry.PhysicalPage:X}" : "-";
                table[i + 1, 4] = entry.Valid ? $"{entry.PageBytes >> 10}K" : "";
                table[i + 1, 5] = entry.Valid ? Rights(entry.Permissions) : "";
            }
            return table;
        }

        private static string Rights(HartPermissions permissions)
        {
            return ((permissions & HartPermissions.Read) != 0 ? "r" : "-") + ((permissions & HartPermissions.Write) != 0 ? "w" : "-")
                + ((permissions & HartPermissions.Execute) != 0 ? "x" : "-");
        }

        // Monitor: counters, the fault block and the TSB in one line each.
        public string Statistics()
        {
            var fault = model.HasLatchedFault ? model.LatchedFault.ToString() : "none";
            var tsb = model.TsbEnabled ? $"on, 2^{model.TsbLog2Entries} entries at 0x{model.TsbBase:X}" : "off";
            var segment = model.Segment;
            return $"misses {model.Misses}, refills {model.Refills}, TSB refills {model.TsbRefills}, traps {model.Traps}, "
                + $"protection faults {model.ProtectionFaults}, nested faults {model.NestedFaults}\n"
                + $"last fault: {fault}\n"
                + $"status: {model.Status}\n"
                + $"TSB: {tsb}\n"
                + $"unmapped segment: [0x{segment.VirtualBase:X}, 0x{segment.VirtualEnd:X}) -> 0x{segment.PhysicalBase:X}";
        }

        public ulong Misses => model.Misses;

        public ulong Refills => model.Refills;

        public ulong TsbRefills => model.TsbRefills;

        public ulong Traps => model.Traps;

        public ulong NestedFaults => model.NestedFaults;

        // The model, for tests and for code that wants the TLB without the register interface.
        public HartSoftwareTlbModel Model => model;

        public long Size => HartSoftwareTlbRegisters.Size;

        uint IHartTlbHost.HartId => hartId;

        ulong IHartTlbHost.AcquireWindow()
        {
            return cpu.AcquireExternalMmuWindow(Privilege.All);
        }

        void IHartTlbHost.SetWindow(ulong id, ulong start, ulong end, ulong addend, HartPermissions permissions)
        {
            cpu.SetMmuWindowStart(id, start);
            cpu.SetMmuWindowEnd(id, end);
            cpu.SetMmuWindowAddend(id, addend);
            cpu.SetMmuWindowPrivileges(id, (Privilege)(uint)permissions);
        }

        void IHartTlbHost.ReleaseWindow(ulong id)
        {
            cpu.ResetMmuWindow(id);
        }

        void IHartTlbHost.FlushPage(ulong virtualAddress)
        {
            cpu.FlushTlbPage(virtualAddress);
        }

        void IHartTlbHost.FlushAll()
        {
            cpu.FlushTlb();
        }

        void IHartTlbHost.RaiseException(uint exceptionCode)
        {
            raiseException(exceptionCode);
        }

        void IDeviceHost.LogGuestError(string message)
        {
            this.Log(LogLevel.Warning, message);
        }

        void IDeviceHost.LogInternalError(string message)
        {
            this.Log(LogLevel.Error, message);
        }

        // The hart TLB traps instead of interrupting and takes no time: its model never asks.
        void IDeviceHost.SetLine(int line, bool asserted)
        {
            this.Log(LogLevel.Error, "The hart TLB model drove line {0}, which it does not have; ignored", line);
        }

        void IDeviceHost.ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            this.Log(LogLevel.Error, "The hart TLB model asked for a wake it has no use for (channel {0}); ignored", channel);
        }

        // Logged is all: a register access is answered neutrally; the fault hook answers Fault.
        void IModelAdapter.ReactToInternalError(int channel)
        {
        }

        private ExternalMmuResult OnMmuFault(ulong address, AccessType accessType, ulong? windowId, bool firstTry)
        {
            try
            {
                var access = accessType == AccessType.Write ? HartAccess.Write : accessType == AccessType.Read ? HartAccess.Read : HartAccess.Execute;
                return model.OnTranslationFault(address, access, windowId, firstTry) == HartFaultAction.Retry
                    ? ExternalMmuResult.NoFault
                    : ExternalMmuResult.Fault;
            }
            catch(Exception e)
            {
                // Fault ends the hart's slice at the instruction; it is retried, and logged again.
                EntryPointBoundary.Contain(this, $"translation fault of 0x{address:X}", e);
                return ExternalMmuResult.Fault;
            }
        }

        // RaiseException(uint) is public on Renode's TranslationCPU but on no interface; bound
        // by reflection so the adapter needs only ICPUWithExternalMmu (tests/Integration.Tests
        // checks the method against Renode's assemblies). Throws ConstructionException without it.
        private void BindRaiseException()
        {
            var method = cpu.GetType().GetMethod(RaiseExceptionMethod, BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(uint) }, null);
            if(method == null || method.ReturnType != typeof(void))
            {
                throw new ConstructionException($"HartSoftwareTlb: {cpu.GetType().Name} has no public void {RaiseExceptionMethod}(uint); the hart cannot take a TLB-miss trap");
            }
            raiseException = (Action<uint>)Delegate.CreateDelegate(typeof(Action<uint>), cpu, method);
        }

        // The hart's fault hook and windows come back with the hart's own state; only the
        // delegate bound by reflection is rebuilt (PostDeserialization runs too early in Renode).
        [LatePostDeserialization]
        private void RebindAfterLoad()
        {
            try
            {
                BindRaiseException();
                SnapshotLoadCompletion.Then(RestoreSingleInstructionBlocks);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "restoring the hart binding after a snapshot load", e);
            }
        }

        // A trap's instruction count is right only when the faulting instruction starts its
        // translation block (docs/hart-tlb.md, "Why one instruction per block"); without it a
        // run of traps ends the process in an OverflowException. A hart that is no TranslationCPU
        // has no block size to set.
        private void RunSingleInstructionBlocks()
        {
            if(cpu is TranslationCPU translating && translating.MaximumBlockSize != 1)
            {
                translating.MaximumBlockSize = 1;
                this.Log(LogLevel.Info, "HartSoftwareTlb: the hart runs one-instruction translation blocks (MaximumBlockSize 1)");
            }
        }

        private void RestoreSingleInstructionBlocks()
        {
            try
            {
                RunSingleInstructionBlocks();
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "the hart's block size after a snapshot load", e);
            }
        }

        public const string RaiseExceptionMethod = "RaiseException";

        [Transient]
        private Action<uint> raiseException;

        private readonly uint hartId;
        private readonly ICPUWithExternalMmu cpu;
        private readonly HartSoftwareTlbModel model;
        private readonly HartSoftwareTlbRegisters registers;
    }
}
