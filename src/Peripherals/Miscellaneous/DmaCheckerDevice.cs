using System;
using System.Collections.Generic;
using System.Text;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // Renode peripheral over DmaCheckerDeviceModel: the DMA misuse checker for every bus master
    // that reaches memory through the plugin (docs/dma-checker.md). In a .repl:
    //     dmacheck: Miscellaneous.DmaCheckerDevice @ sysbus 0x10005000
    //         framePool: framepool      // free frames no device may touch
    //         enabled: false            // the default; `dmacheck Enabled true` turns it on
    //     dma24: DMA.ScatterGatherDma @ sysbus 0x10003000
    //         checker: dmacheck         // the engine reports its accesses
    // Stock Renode masters: `dmacheck AttachInitiator sysbus.pdma` (or a TLB given `checker:`).
    // Monitor: `dmacheck Findings`, `dmacheck Clear`, `dmacheck StopOnFinding true`,
    // `dmacheck Leaks`, `dmacheck SetReach "pdma" 0x0 0x1000000`.
    // Each finding is one warning line; with StopOnFinding the emulation pauses at it.
    // The hart's accesses to the buffers of maps the guest reported loaded (and to bytes a device
    // wrote into a map unloaded without POSTREAD) are seen byte for byte: their pages are routed
    // through the system bus (ICPUWithMappedMemory.SetPageAccessViaIo, what Renode's watchpoints
    // do), where the RAM peripheral's access hooks (SetHookAfterPeripheralRead /
    // SetHookBeforePeripheralWrite, every width) report each access the hart makes. Only the
    // watched pages leave the translated code's fast path, and only while the checker needs them.
    // No exception leaves a register access, a reset or a reported access: EntryPointBoundary logs it.
    // Snapshots: state in the model's plain fields (which pages are watched among them); the
    // routing and the hooks live in the emulator and are set again in the one
    // [LatePostDeserialization] hook.
    public class DmaCheckerDevice : IDoubleWordPeripheral, IKnownSize, IModelAdapter, IDmaCheckerHost, ICpuAccessWatch
    {
        public DmaCheckerDevice(IMachine machine, FramePoolDevice framePool = null, bool enabled = false, bool stopOnFinding = false)
        {
            this.machine = machine ?? throw new ConstructionException("DmaCheckerDevice needs a machine");
            this.framePool = framePool;
            engineReaches = new List<EngineReach>();
            model = new DmaCheckerDeviceModel(this, this, enabled, this);
            machine.PeripheralsChanged += OnPeripheralsChanged;
            StopOnFinding = stopOnFinding;
        }

        public long Size => DmaCheckerDeviceModel.Size;

        // Maps still loaded at a machine reset are leaks; then the guest's maps are forgotten.
        public void Reset()
        {
            try
            {
                if(model.Enabled)
                {
                    model.ReportLeaks();
                }
                model.Reset();
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "reset", e);
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            return EntryPointBoundary.Read(this, model, offset);
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            try
            {
                UpdateFramePool();
                model.Write(offset, value);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"write of 0x{value:X} to offset 0x{offset:X}", e);
            }
        }

        // Off: reported accesses and the guest's reports are dropped at the first test.
        public bool Enabled
        {
            get => model.Enabled;
            set => model.Enabled = value;
        }

        // Pause the emulation at each finding. A hart's finding pauses it right after the offending
        // load or store: while on, every translating CPU runs blocks of one instruction (Renode's
        // MaximumBlockSize 1), since tlib ends a block early only after a store, and a pause asked
        // for during a load takes effect at the next block's start. Off: the CPUs' block size is
        // restored, so the checker costs their speed nothing. Set it from the monitor or in a .repl;
        // a CPU added while it is on (one a .repl lists after the checker) is switched as it comes.
        public bool StopOnFinding
        {
            get => stopOnFinding;
            set
            {
                stopOnFinding = value;
                try
                {
                    SetSingleInstructionBlocks(value);
                }
                catch(Exception e)
                {
                    this.Log(LogLevel.Warning, "DMA checker: cannot change the CPUs' block size; a hart's finding pauses at the end of its block: {0}", e.Message);
                }
            }
        }

        // Monitor: the retained findings, one line each, and the counts since the last Clear.
        public string Findings()
        {
            var text = new StringBuilder();
            foreach(var finding in model.Checker.Findings)
            {
                text.AppendLine(finding.ToString());
            }
            text.Append($"{model.FindingsSinceClear} findings since the last clear");
            foreach(DmaFindingKind kind in Enum.GetValues(typeof(DmaFindingKind)))
            {
                var count = model.CountSinceClear(kind);
                if(count > 0)
                {
                    text.Append($"; {kind}: {count}");
                }
            }
            text.Append(model.Enabled ? " (checker enabled)" : " (checker disabled)");
            return text.ToString();
        }

        // Monitor: forget the findings and zero the counters.
        public void Clear()
        {
            model.Clear();
        }

        // Monitor: maps the guest loaded and never unloaded (MapLeaked) and bounce frames its
        // library still holds (BounceFramesLeaked), as findings; how many findings.
        public int Leaks()
        {
            return model.ReportLeaks();
        }

        // Monitor: the reach the checker holds for each master, one line each (our engines' come
        // from their window; stock masters' from SetReach or AttachInitiator).
        public string Reaches()
        {
            ResolveEngineReaches();
            var text = new StringBuilder();
            foreach(var (device, low, high) in model.Checker.Reaches)
            {
                text.AppendLine($"{device}: [0x{low:X}, 0x{high:X})");
            }
            foreach(var reach in engineReaches)
            {
                if(reach.Unbounded)
                {
                    text.AppendLine($"{NameOf(reach.Master)}: any address (its translator maps anywhere)");
                }
            }
            return text.Length == 0 ? "no reach known" : text.ToString().TrimEnd();
        }

        // For our engines (ScatterGatherDma given `checker:`): the bus addresses master drives,
        // [low, high) (its window), so its accesses are checked against it with no SetReach.
        // unbounded: the engine has a translator, whose pages may land anywhere; nothing to check.
        // A SetReach of the same master from the monitor wins.
        public void RegisterEngineReach(IPeripheral master, ulong low, ulong high, bool unbounded)
        {
            engineReaches.Add(new EngineReach(master, low, high, unbounded));
            engineReachesPending = true;
        }

        // Monitor: the bus addresses master (its name in findings) can reach, [low, high).
        public void SetReach(string master, ulong low, ulong high)
        {
            if(low >= high)
            {
                throw new RecoverableException($"SetReach: low 0x{low:X} is not below high 0x{high:X}");
            }
            model.Checker.SetReach(master, low, high);
        }

        public void ClearReach(string master)
        {
            model.Checker.ClearReach(master);
        }

        // Monitor: puts a stock Renode bus master behind a proxy that reports its accesses here,
        // e.g. `dmacheck AttachInitiator sysbus.pdma`. reach: optional [0, reach) for SetReach.
        public void AttachInitiator(IBusPeripheral initiator, ulong reach = 0)
        {
            if(initiator == null || initiator == this)
            {
                throw new RecoverableException("AttachInitiator needs another bus peripheral");
            }
            var proxy = new CheckingBusControllerProxy(this, initiator, machine.GetSystemBus(this));
            machine.RegisterBusController(initiator, proxy);
            if(reach != 0)
            {
                model.Checker.SetReach(NameOf(initiator), 0, reach);
            }
            this.Log(LogLevel.Info, "{0}'s accesses are now checked", NameOf(initiator));
        }

        public DmaCheckerDeviceModel Model => model;

        // A master's access (bus address after any translation); reached: it was all memory.
        // Never throws: called from inside other peripherals' accesses.
        public void OnDeviceAccess(string master, ulong address, ulong length, bool write, bool reached)
        {
            if(!model.Enabled)
            {
                return;
            }
            try
            {
                UpdateFramePool();
                if(engineReachesPending)
                {
                    ResolveEngineReaches();
                }
                if(reached)
                {
                    model.OnDeviceAccess(master, address, length, write);
                }
                else
                {
                    model.OnDeviceAccessOutsideMemory(master, address, length, write);
                }
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"the check of {master}'s access to 0x{address:X}", e);
            }
        }

        // A peripheral's name in findings: its name on the machine, else what it says it is.
        public string NameOf(IPeripheral peripheral)
        {
            if(peripheral == null)
            {
                return "device";
            }
            return machine.TryGetLocalName(peripheral, out var name) ? name : peripheral.ToString();
        }

        ulong? IDmaCheckerHost.CurrentProgramCounter
        {
            get
            {
                try
                {
                    return machine.SystemBus.TryGetCurrentCPU(out var cpu) ? (ulong)cpu.PC : (ulong?)null;
                }
                catch(Exception)
                {
                    // No PC is better than no finding.
                    return null;
                }
            }
        }

        void IDmaCheckerHost.OnFinding(DmaFinding finding)
        {
            this.Log(LogLevel.Warning, finding.ToString());
            if(StopOnFinding)
            {
                // On the CPU's thread (a hart's access) precise: with one-instruction blocks the hart
                // stops right after the offending load or store. A device's finding pauses as Renode can.
                var onCpu = machine.SystemBus.TryGetCurrentCPU(out _);
                machine.PauseAndRequestEmulationPause(precise: onCpu);
            }
        }

        void IDeviceHost.LogGuestError(string message)
        {
            this.Log(LogLevel.Warning, message);
        }

        void IDeviceHost.LogInternalError(string message)
        {
            this.Log(LogLevel.Error, message);
        }

        void IDeviceHost.SetLine(int line, bool asserted)
        {
            this.Log(LogLevel.Error, "The DMA checker model set line {0}, which it does not have; ignored", line);
        }

        void IDeviceHost.ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            this.Log(LogLevel.Error, "The DMA checker model asked for a wake it has no use for (channel {0}); ignored", channel);
        }

        void IModelAdapter.ReactToInternalError(int channel)
        {
        }

        void ICpuAccessWatch.WatchPage(ulong page)
        {
            try
            {
                // After a snapshot load the CPU's saved state already routes the page (and its
                // native side may not take calls yet); only the hooks must be set again.
                if(!restoringWatch)
                {
                    RouteThroughBus(page, true);
                }
                var registered = machine.SystemBus.WhatIsAt(page);
                if(registered == null)
                {
                    return;
                }
                var ram = registered.Peripheral;
                hookedRam ??= new Dictionary<IBusPeripheral, HookedRam>();
                if(!hookedRam.TryGetValue(ram, out var hooked))
                {
                    hooked = new HookedRam(registered.RegistrationPoint.Range.StartAddress);
                    hookedRam.Add(ram, hooked);
                    InstallHooks(ram, hooked.Base);
                }
                hooked.Pages++;
                pageOwners ??= new Dictionary<ulong, IBusPeripheral>();
                pageOwners[page] = ram;
            }
            catch(Exception e)
            {
                // A page the bus cannot watch (no CPU that routes pages, a peripheral that refuses
                // hooks) is not checked on the CPU side; the device side is unaffected.
                this.Log(LogLevel.Warning, "DMA checker: cannot watch the hart's accesses to page 0x{0:X}: {1}", page, e.Message);
            }
        }

        void ICpuAccessWatch.UnwatchPage(ulong page)
        {
            try
            {
                RouteThroughBus(page, false);
                if(pageOwners == null || !pageOwners.TryGetValue(page, out var ram))
                {
                    return;
                }
                pageOwners.Remove(page);
                var hooked = hookedRam[ram];
                hooked.Pages--;
                if(hooked.Pages == 0)
                {
                    hookedRam.Remove(ram);
                    RemoveHooks(ram);
                }
            }
            catch(Exception e)
            {
                this.Log(LogLevel.Warning, "DMA checker: cannot stop watching page 0x{0:X}: {1}", page, e.Message);
            }
        }

        // One instruction per translation block on every translating CPU (on), or each CPU's own
        // block size back (off). Not on a CPU's thread: the size change flushes its translation cache.
        private void SetSingleInstructionBlocks(bool single)
        {
            savedBlockSizes ??= new List<SavedBlockSize>();
            if(!single)
            {
                foreach(var saved in savedBlockSizes)
                {
                    saved.Cpu.MaximumBlockSize = saved.Size;
                }
                savedBlockSizes.Clear();
                return;
            }
            foreach(var cpu in machine.SystemBus.GetCPUs())
            {
                if(cpu is TranslationCPU translating)
                {
                    SwitchToSingleInstructionBlocks(translating);
                }
            }
        }

        private void SwitchToSingleInstructionBlocks(TranslationCPU cpu)
        {
            savedBlockSizes ??= new List<SavedBlockSize>();
            if(savedBlockSizes.FindIndex(saved => saved.Cpu == cpu) < 0)
            {
                savedBlockSizes.Add(new SavedBlockSize(cpu, cpu.MaximumBlockSize));
                cpu.MaximumBlockSize = 1;
            }
        }

        // A loaded CPU comes back with Renode's default block size. The sizes saved before the
        // snapshot are in it, so the CPUs switched then run one-instruction blocks again and get
        // their own size back when StopOnFinding is turned off, not the default.
        private void SwitchCpusAfterLoad()
        {
            try
            {
                if(!stopOnFinding)
                {
                    return;
                }
                savedBlockSizes ??= new List<SavedBlockSize>();
                foreach(var saved in savedBlockSizes)
                {
                    saved.Cpu.MaximumBlockSize = 1;
                }
                SetSingleInstructionBlocks(true);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "StopOnFinding's block size after a snapshot load", e);
            }
        }

        // A CPU added while StopOnFinding is on is switched (Renode builds a .repl's peripherals in
        // its order, so a checker listed first is set before the CPUs exist); a CPU removed is
        // forgotten, so turning StopOnFinding off never touches a disposed CPU.
        private void OnPeripheralsChanged(IMachine changed, PeripheralsChangedEventArgs change)
        {
            try
            {
                if(!(change.Peripheral is TranslationCPU cpu))
                {
                    return;
                }
                if(change.Operation == PeripheralsChangedEventArgs.PeripheralChangeType.Addition && stopOnFinding)
                {
                    SwitchToSingleInstructionBlocks(cpu);
                }
                else if(change.Operation == PeripheralsChangedEventArgs.PeripheralChangeType.Removal
                        || change.Operation == PeripheralsChangedEventArgs.PeripheralChangeType.CompleteRemoval)
                {
                    savedBlockSizes?.RemoveAll(saved => saved.Cpu == cpu);
                }
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"the machine's change ({change.Operation}) of a CPU", e);
            }
        }

        // Every CPU that maps memory takes the page through the bus (or back on its fast path).
        private void RouteThroughBus(ulong page, bool throughBus)
        {
            foreach(var cpu in machine.SystemBus.GetCPUs())
            {
                if(cpu is ICPUWithMappedMemory mapped)
                {
                    if(throughBus)
                    {
                        mapped.SetPageAccessViaIo(page);
                    }
                    else
                    {
                        mapped.ClearPageAccessViaIo(page);
                    }
                }
            }
        }

        // One hook per width and direction on the RAM peripheral (Renode keeps one per
        // peripheral, width and direction; a user's hook on the same RAM is replaced while
        // the checker watches it). Offsets are the peripheral's; ramBase makes them addresses.
        private void InstallHooks(IBusPeripheral ram, ulong ramBase)
        {
            var bus = machine.SystemBus;
            bus.SetHookAfterPeripheralRead<byte>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 1, false); return value; });
            bus.SetHookAfterPeripheralRead<ushort>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 2, false); return value; });
            bus.SetHookAfterPeripheralRead<uint>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 4, false); return value; });
            bus.SetHookAfterPeripheralRead<ulong>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 8, false); return value; });
            bus.SetHookBeforePeripheralWrite<byte>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 1, true); return value; });
            bus.SetHookBeforePeripheralWrite<ushort>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 2, true); return value; });
            bus.SetHookBeforePeripheralWrite<uint>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 4, true); return value; });
            bus.SetHookBeforePeripheralWrite<ulong>(ram, (value, offset) => { OnRamAccess(ramBase, offset, 8, true); return value; });
        }

        private void RemoveHooks(IBusPeripheral ram)
        {
            var bus = machine.SystemBus;
            bus.SetHookAfterPeripheralRead<byte>(ram, null);
            bus.SetHookAfterPeripheralRead<ushort>(ram, null);
            bus.SetHookAfterPeripheralRead<uint>(ram, null);
            bus.SetHookAfterPeripheralRead<ulong>(ram, null);
            bus.SetHookBeforePeripheralWrite<byte>(ram, null);
            bus.SetHookBeforePeripheralWrite<ushort>(ram, null);
            bus.SetHookBeforePeripheralWrite<uint>(ram, null);
            bus.SetHookBeforePeripheralWrite<ulong>(ram, null);
        }

        // A bus access to a watched RAM peripheral: checked when a hart made it (the bus's
        // transaction initiator is a CPU; a DMA model or the monitor is not) and its page is watched.
        private void OnRamAccess(ulong ramBase, long offset, ulong width, bool write)
        {
            try
            {
                var address = ramBase + (ulong)offset;
                if(pageOwners == null || !pageOwners.ContainsKey(address - address % DmaCheckerDeviceModel.CpuWatchPageSize))
                {
                    return;
                }
                if(!machine.SystemBus.TryGetTransactionInitiator(out var initiator) || !(initiator is ICPU))
                {
                    return;
                }
                model.OnCpuAccess(address, width, write);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"the check of the hart's access at offset 0x{offset:X}", e);
            }
        }

        // Names are given after construction: resolved at the first access or monitor query.
        private void ResolveEngineReaches()
        {
            var pending = false;
            foreach(var reach in engineReaches)
            {
                if(reach.Unbounded || reach.Resolved)
                {
                    continue;
                }
                if(!machine.TryGetLocalName(reach.Master, out var name))
                {
                    pending = true;
                    continue;
                }
                reach.Resolved = true;
                if(!model.Checker.HasReach(name))
                {
                    model.Checker.SetReach(name, reach.Low, reach.High);
                }
            }
            engineReachesPending = pending;
        }

        // The RAM hooks live in the emulator, not in the snapshot: set again for the pages the
        // model watched when the snapshot was saved (the routing of those pages is part of the
        // CPU's saved state). Late: the bus is restored by then.
        [LatePostDeserialization]
        private void RestoreCpuWatchAfterLoad()
        {
            try
            {
                hookedRam = null;
                pageOwners = null;
                restoringWatch = true;
                // The machine does not keep its handlers in a snapshot.
                machine.PeripheralsChanged += OnPeripheralsChanged;
                model.RestoreCpuWatch();
                // A loaded CPU starts with Renode's default block size: set once the load has finished.
                if(stopOnFinding)
                {
                    SnapshotLoadCompletion.Then(SwitchCpusAfterLoad);
                }
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "the CPU watch's rebuild after a snapshot load", e);
            }
            finally
            {
                restoringWatch = false;
            }
        }

        // The frame pool replaces its allocator at a machine reset: asked for it each time.
        private void UpdateFramePool()
        {
            model.FramePool = framePool?.Allocator;
        }

        private readonly IMachine machine;
        private readonly FramePoolDevice framePool;
        private readonly DmaCheckerDeviceModel model;
        private readonly List<EngineReach> engineReaches;
        private bool engineReachesPending;
        // The RAM peripherals whose access hooks report to the checker, and which of them holds
        // each watched page. Hooks are delegates in the emulator: rebuilt after a snapshot load.
        [Transient]
        private Dictionary<IBusPeripheral, HookedRam> hookedRam;
        [Transient]
        private Dictionary<ulong, IBusPeripheral> pageOwners;
        [Transient]
        private bool restoringWatch;
        private bool stopOnFinding;
        // Each CPU switched to one-instruction blocks by StopOnFinding, with its block size before;
        // in the snapshot, since a loaded CPU does not remember its size.
        private List<SavedBlockSize> savedBlockSizes;

        private sealed class SavedBlockSize
        {
            public SavedBlockSize(TranslationCPU cpu, int size)
            {
                Cpu = cpu;
                Size = size;
            }

            public readonly TranslationCPU Cpu;
            public readonly int Size;
        }

        private sealed class HookedRam
        {
            public HookedRam(ulong ramBase)
            {
                Base = ramBase;
            }

            public readonly ulong Base;
            public int Pages;
        }

        private sealed class EngineReach
        {
            public EngineReach(IPeripheral master, ulong low, ulong high, bool unbounded)
            {
                Master = master;
                Low = low;
                High = high;
                Unbounded = unbounded;
            }

            public readonly IPeripheral Master;
            public readonly ulong Low;
            public readonly ulong High;
            public readonly bool Unbounded;
            public bool Resolved;
        }
    }
}
