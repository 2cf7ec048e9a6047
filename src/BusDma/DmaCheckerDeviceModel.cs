using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Registers;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma
{
    // The DMA checker as a device (docs/dma-checker.md): a DmaChecker fed by the bus masters'
    // accesses (CheckDeviceAccess, ReportOutsideMemory, CheckCpuAccess: the host calls them) and
    // by the guest's bus_dma library through a debug register block (load, sync, unload). Findings
    // are counted per kind in registers (since the last Clear) and handed to the host, which logs
    // them and may stop the emulation.
    //
    // Disabled (CONTROL.ENABLE clear, the reset value unless the host says otherwise), every entry
    // point returns at once: the guest's reports are dropped and accesses are not checked.
    // Guest input is never refused by an exception: an unknown command or offset is a guest error.
    public sealed class DmaCheckerDeviceModel : IDmaCheckerHost, IRegisterFile
    {
        public const uint Magic = 0x4B484344; // "DCHK"
        public const uint Version = 1;
        public const long Size = 0x100;
        // Segments one LOAD may carry; more are dropped with a guest error (the map is then not checked).
        public const int MaxPendingSegments = 4096;

        // host: log (guest errors), and the one told of findings (IDmaCheckerHost), may be null.
        // cpuWatch: where to watch the hart's accesses to loaded maps' buffers (null: not watched).
        public DmaCheckerDeviceModel(IDeviceHost host = null, IDmaCheckerHost findingHost = null, bool enabled = false, ICpuAccessWatch cpuWatch = null)
        {
            this.host = host;
            this.findingHost = findingHost;
            this.cpuWatch = cpuWatch;
            watched = new Dictionary<ulong, ReportedSegment[]>();
            initiallyEnabled = enabled;
            Checker = new DmaChecker { Host = this };
            pending = new List<ReportedSegment>();
            countsByKind = new long[Enum.GetValues(typeof(DmaFindingKind)).Length + 1];
            Reset();
        }

        public DmaChecker Checker { get; }
        public bool Enabled { get; set; }
        public long FindingsSinceClear => findingsSinceClear;

        // The frame pool whose free frames no device may touch (null: not checked).
        public FrameAllocator FramePool
        {
            get => Checker.FramePool;
            set => Checker.FramePool = value;
        }

        // Machine reset: registers to their reset values, the guest's maps forgotten (its memory is
        // gone); findings and counters stay, so a run's findings can be read after it.
        public void Reset()
        {
            RegisterMap.Reset(this);
            Enabled = initiallyEnabled;
            pending.Clear();
            foreach(var handle in new List<ulong>(watched.Keys))
            {
                StopWatching(handle);
            }
            Checker.ForgetReportedMaps();
        }

        public uint Read(long offset)
        {
            return RegisterMap.Read(this, offset);
        }

        public void Write(long offset, uint value)
        {
            RegisterMap.Write(this, offset, value);
        }

        // Forgets the retained findings and zeroes the counters (the checker's totals keep counting).
        public void Clear()
        {
            Checker.ClearFindings();
            Array.Clear(countsByKind, 0, countsByKind.Length);
            findingsSinceClear = 0;
        }

        public long CountSinceClear(DmaFindingKind kind)
        {
            var index = (int)kind;
            return index >= 0 && index < countsByKind.Length ? countsByKind[index] : 0;
        }

        // A bus master's access that reached memory (bus address after any translation).
        public void OnDeviceAccess(string device, ulong address, ulong length, bool write)
        {
            if(Enabled)
            {
                Checker.CheckDeviceAccess(address, length, write, device);
            }
        }

        // A bus master's access to (or refused for) something that is not memory.
        public void OnDeviceAccessOutsideMemory(string device, ulong address, ulong length, bool write)
        {
            if(Enabled)
            {
                Checker.ReportOutsideMemory(address, length, write, device);
            }
        }

        // The hart's access to guest memory (CPU address).
        public void OnCpuAccess(ulong address, ulong length, bool write)
        {
            if(Enabled)
            {
                Checker.CheckCpuAccess(address, length, write);
            }
        }

        ulong? IDmaCheckerHost.CurrentProgramCounter => findingHost?.CurrentProgramCounter;

        void IDmaCheckerHost.OnFinding(DmaFinding finding)
        {
            findingsSinceClear++;
            countsByKind[(int)finding.Kind]++;
            findingHost?.OnFinding(finding);
        }

        private static RegisterTable<DmaCheckerDeviceModel> DefineRegisters()
        {
            var table = new RegisterTable<DmaCheckerDeviceModel>(Size,
                new UnknownOffsetPolicy<DmaCheckerDeviceModel>(static (device, message) => device.host?.LogGuestError(message)));
            table.Define((long)Register.Id, "ID")
                .WithValueField(0, 32, FieldMode.Read, static (_, _) => Magic);
            table.Define((long)Register.Version, "VERSION")
                .WithValueField(0, 32, FieldMode.Read, static (_, _) => Version);
            table.Define((long)Register.Control, "CONTROL", resetValue: 0)
                .WithFlag(0, FieldMode.ReadWrite, static (device, _) => device.Enabled, static (device, _, value) => device.Enabled = value);
            table.Define((long)Register.Command, "COMMAND")
                .WithValueField(0, 32, FieldMode.Write, write: static (device, _, value) => device.RunCommand((uint)value));
            table.DefineQuad((long)Register.Map, "MAP", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.map, static (device, _, value) => device.map = value);
            table.Define((long)Register.Direction, "DIRECTION", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (device, _) => device.direction, static (device, _, value) => device.direction = (uint)value);
            table.Define((long)Register.SyncOperations, "SYNC_OPS", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (device, _) => device.syncOperations, static (device, _, value) => device.syncOperations = (uint)value);
            table.DefineQuad((long)Register.Offset, "OFFSET", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.offset, static (device, _, value) => device.offset = value);
            table.DefineQuad((long)Register.Length, "LENGTH", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.length, static (device, _, value) => device.length = value);
            table.DefineQuad((long)Register.CpuAddress, "CPU_ADDRESS", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.cpuAddress, static (device, _, value) => device.cpuAddress = value);
            table.DefineQuad((long)Register.BusAddress, "BUS_ADDRESS", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.busAddress, static (device, _, value) => device.busAddress = value);
            table.DefineQuad((long)Register.MaxSegmentSize, "MAX_SEGSIZE", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.maxSegmentSize, static (device, _, value) => device.maxSegmentSize = value);
            table.DefineQuad((long)Register.Boundary, "BOUNDARY", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (device, _) => device.boundary, static (device, _, value) => device.boundary = value);
            table.Define((long)Register.Findings, "FINDINGS")
                .WithValueField(0, 32, FieldMode.Read, static (device, _) => Saturate(device.findingsSinceClear));
            table.Define((long)Register.KindSelect, "KIND_SELECT", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (device, _) => device.kindSelect, static (device, _, value) => device.kindSelect = (uint)value);
            table.Define((long)Register.KindCount, "KIND_COUNT")
                .WithValueField(0, 32, FieldMode.Read, static (device, _) => Saturate(device.CountSinceClear((DmaFindingKind)device.kindSelect)));
            table.Define((long)Register.PendingSegments, "PENDING_SEGMENTS")
                .WithValueField(0, 32, FieldMode.Read, static (device, _) => (ulong)device.pending.Count);
            table.Define((long)Register.LoadedMaps, "LOADED_MAPS")
                .WithValueField(0, 32, FieldMode.Read, static (device, _) => (ulong)device.Checker.LoadedMapCount);
            return table;
        }

        private void StopWatching(ulong handle)
        {
            if(watched.TryGetValue(handle, out var segments))
            {
                watched.Remove(handle);
                foreach(var segment in segments)
                {
                    cpuWatch.Unwatch(segment.CpuAddress, segment.Length);
                }
            }
        }

        private static ulong Saturate(long value)
        {
            return (ulong)Math.Min(value, uint.MaxValue);
        }

        private void RunCommand(uint command)
        {
            if(!Enabled)
            {
                return;
            }
            switch((Command)command)
            {
            case Command.AddSegment:
                if(pending.Count >= MaxPendingSegments)
                {
                    host?.LogGuestError($"DMA checker: more than {MaxPendingSegments} segments for one LOAD; segment dropped");
                    return;
                }
                pending.Add(new ReportedSegment(cpuAddress, busAddress, length));
                return;
            case Command.Load:
                if(direction > (uint)DmaDirection.FromDevice)
                {
                    host?.LogGuestError($"DMA checker: LOAD with DIRECTION {direction}, not 0 (both), 1 (to the device) or 2 (from the device); ignored");
                    pending.Clear();
                    return;
                }
                Checker.ReportLoad(map, pending, (DmaDirection)direction, maxSegmentSize, boundary);
                StopWatching(map);
                if(cpuWatch != null)
                {
                    var segments = pending.ToArray();
                    watched[map] = segments;
                    foreach(var segment in segments)
                    {
                        cpuWatch.Watch(segment.CpuAddress, segment.Length);
                    }
                }
                pending.Clear();
                return;
            case Command.Sync:
                var operations = (DmaSyncOperation)syncOperations;
                const DmaSyncOperation all = DmaSyncOperation.PreRead | DmaSyncOperation.PostRead | DmaSyncOperation.PreWrite | DmaSyncOperation.PostWrite;
                const DmaSyncOperation pre = DmaSyncOperation.PreRead | DmaSyncOperation.PreWrite;
                if(operations == DmaSyncOperation.None || (operations & ~all) != 0 || ((operations & pre) != 0 && (operations & ~pre) != 0))
                {
                    host?.LogGuestError($"DMA checker: SYNC with SYNC_OPS 0x{syncOperations:X}, not PRE or POST operations alone; ignored");
                    return;
                }
                Checker.ReportSync(map, offset, length, operations);
                return;
            case Command.Unload:
                Checker.ReportUnload(map);
                StopWatching(map);
                return;
            case Command.CheckLeaks:
                Checker.ReportLeakedMaps();
                return;
            case Command.Clear:
                Clear();
                return;
            default:
                host?.LogGuestError($"DMA checker: unknown command {command}");
                return;
            }
        }

        private static readonly RegisterTable<DmaCheckerDeviceModel> RegisterMap = DefineRegisters();

        private readonly IDeviceHost host;
        private readonly IDmaCheckerHost findingHost;
        private readonly bool initiallyEnabled;
        private readonly List<ReportedSegment> pending;
        private readonly ICpuAccessWatch cpuWatch;
        // The CPU ranges watched for each loaded map, by handle.
        private readonly Dictionary<ulong, ReportedSegment[]> watched;
        private readonly long[] countsByKind;
        private long findingsSinceClear;
        private ulong map;
        private uint direction;
        private uint syncOperations;
        private ulong offset;
        private ulong length;
        private ulong cpuAddress;
        private ulong busAddress;
        private ulong maxSegmentSize;
        private ulong boundary;
        private uint kindSelect;

        private enum Register : long
        {
            Id = 0x00,
            Version = 0x04,
            Control = 0x08,
            Command = 0x0C,
            Map = 0x10,
            Direction = 0x18,
            SyncOperations = 0x1C,
            Offset = 0x20,
            Length = 0x28,
            CpuAddress = 0x30,
            BusAddress = 0x38,
            MaxSegmentSize = 0x40,
            Boundary = 0x48,
            Findings = 0x50,
            KindSelect = 0x54,
            KindCount = 0x58,
            PendingSegments = 0x5C,
            LoadedMaps = 0x60
        }

        private enum Command : uint
        {
            AddSegment = 1,
            Load = 2,
            Sync = 3,
            Unload = 4,
            CheckLeaks = 5,
            Clear = 6
        }
    }
}
