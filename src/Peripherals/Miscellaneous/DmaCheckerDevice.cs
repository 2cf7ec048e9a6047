using System;
using System.Collections.Generic;
using System.Text;
using Antmicro.Migrant;
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
    // The hart's accesses to the buffers of maps the guest reported loaded are seen through
    // watchpoints on the system bus (the buffer's first byte and every 64-byte-aligned byte in it),
    // set at the map's load and removed at its unload: what a watchpoint costs (the watched pages'
    // accesses leave the translated code's fast path) is paid only while a map is loaded.
    // No exception leaves a register access, a reset or a reported access: EntryPointBoundary logs it.
    // Snapshots: state in the model's plain fields; nothing Renode-bound to rebuild.
    public class DmaCheckerDevice : IDoubleWordPeripheral, IKnownSize, IModelAdapter, IDmaCheckerHost, ICpuAccessWatch
    {
        public DmaCheckerDevice(IMachine machine, FramePoolDevice framePool = null, bool enabled = false, bool stopOnFinding = false)
        {
            this.machine = machine ?? throw new ConstructionException("DmaCheckerDevice needs a machine");
            this.framePool = framePool;
            StopOnFinding = stopOnFinding;
            watchCounts = new Dictionary<ulong, int>();
            model = new DmaCheckerDeviceModel(this, this, enabled, this);
        }

        public long Size => DmaCheckerDeviceModel.Size;

        // Maps still loaded at a machine reset are leaks; then the guest's maps are forgotten.
        public void Reset()
        {
            try
            {
                if(model.Enabled)
                {
                    model.Checker.ReportLeakedMaps();
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

        // Pause the emulation at each finding (on the CPU's thread: at the offending instruction).
        public bool StopOnFinding { get; set; }

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

        // Monitor: maps the guest loaded and never unloaded, as MapLeaked findings; their count.
        public int Leaks()
        {
            return model.Checker.ReportLeakedMaps();
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
                // Precise (the CPU stops at the offending instruction) only on the CPU's thread.
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

        void ICpuAccessWatch.Watch(ulong address, ulong length)
        {
            foreach(var watchpoint in Watchpoints(address, length))
            {
                watchCounts.TryGetValue(watchpoint, out var count);
                watchCounts[watchpoint] = count + 1;
                if(count == 0)
                {
                    machine.SystemBus.AddWatchpointHook(watchpoint, AllWidths, Access.Read, ReadHook);
                    machine.SystemBus.AddWatchpointHook(watchpoint, AllWidths, Access.Write, WriteHook);
                }
            }
        }

        void ICpuAccessWatch.Unwatch(ulong address, ulong length)
        {
            foreach(var watchpoint in Watchpoints(address, length))
            {
                if(!watchCounts.TryGetValue(watchpoint, out var count))
                {
                    continue;
                }
                if(count > 1)
                {
                    watchCounts[watchpoint] = count - 1;
                    continue;
                }
                watchCounts.Remove(watchpoint);
                machine.SystemBus.RemoveWatchpointHook(watchpoint, ReadHook);
                machine.SystemBus.RemoveWatchpointHook(watchpoint, WriteHook);
            }
        }

        // The first byte and every line start after it: a hart's sequential walk over the buffer
        // meets them; an access that touches none of them is not seen.
        private static IEnumerable<ulong> Watchpoints(ulong address, ulong length)
        {
            if(length == 0)
            {
                yield break;
            }
            var end = length > ulong.MaxValue - address ? ulong.MaxValue : address + length;
            yield return address;
            for(var line = (address | (WatchStep - 1)) + 1; line < end && line > address; line += WatchStep)
            {
                yield return line;
            }
        }

        private BusHookDelegate ReadHook => readHook ??= (cpu, address, width, value) => OnCpuAccess(address, width, false);

        private BusHookDelegate WriteHook => writeHook ??= (cpu, address, width, value) => OnCpuAccess(address, width, true);

        private void OnCpuAccess(ulong address, SysbusAccessWidth width, bool write)
        {
            try
            {
                model.OnCpuAccess(address, (ulong)width, write);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"the check of the hart's access to 0x{address:X}", e);
            }
        }

        // The frame pool replaces its allocator at a machine reset: asked for it each time.
        private void UpdateFramePool()
        {
            model.FramePool = framePool?.Allocator;
        }

        private const ulong WatchStep = 64;
        private const SysbusAccessWidth AllWidths = SysbusAccessWidth.Byte | SysbusAccessWidth.Word | SysbusAccessWidth.DoubleWord | SysbusAccessWidth.QuadWord;

        private readonly IMachine machine;
        private readonly FramePoolDevice framePool;
        private readonly DmaCheckerDeviceModel model;
        // Watchpoints set, with how many loaded ranges asked for each.
        private readonly Dictionary<ulong, int> watchCounts;
        // The hooks given to the bus; rebuilt on demand (equal delegates remove the same hooks).
        [Transient]
        private BusHookDelegate readHook;
        [Transient]
        private BusHookDelegate writeHook;
    }
}
