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
        // 2: BOUNCE_BORROWED and BOUNCE_RETURNED.
        public const uint Version = 2;
        public const long Size = 0x100;
        // Segments one LOAD may carry; more are dropped with a guest error (the map is then not checked).
        public const int MaxPendingSegments = 4096;
        // The granule of the CPU watch: the hart's pages (what Renode routes through the bus).
        public const ulong CpuWatchPageSize = 0x1000;
        // Pages watched at most (Renode's CPU routes at most 1024 pages through the bus, shared with
        // GDB watchpoints); a buffer beyond is watched only up to here, with a warning.
        public const int MaxWatchedPages = 512;

        // host: log (guest errors), and the one told of findings (IDmaCheckerHost), may be null.
        // cpuWatch: where to watch the hart's accesses to loaded maps' buffers (null: not watched).
        public DmaCheckerDeviceModel(IDeviceHost host = null, IDmaCheckerHost findingHost = null, bool enabled = false, ICpuAccessWatch cpuWatch = null)
        {
            this.host = host;
            this.findingHost = findingHost;
            this.cpuWatch = cpuWatch;
            watchedPages = new HashSet<ulong>();
            initiallyEnabled = enabled;
            Checker = new DmaChecker { Host = this };
            pending = new List<ReportedSegment>();
            countsByKind = new long[Enum.GetValues(typeof(DmaFindingKind)).Length + 1];
            Reset();
        }

        public DmaChecker Checker { get; }

        // Off: nothing is checked and no page is watched (the hart runs at full speed); on again:
        // the pages the checker's state needs are watched again.
        public bool Enabled
        {
            get => enabled;
            set
            {
                enabled = value;
                RefreshCpuWatch();
            }
        }

        // The hart's pages watched now (CpuWatchPageSize each).
        public IReadOnlyCollection<ulong> WatchedPages => watchedPages;
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
            pending.Clear();
            Checker.ForgetReportedMaps();
            Enabled = initiallyEnabled;
        }

        // Every reported map still loaded becomes MapLeaked, bounce frames still held one
        // BounceFramesLeaked; returns how many findings.
        public int ReportLeaks()
        {
            var count = Checker.ReportLeakedMaps() + Checker.ReportLeakedBounceFrames();
            RefreshCpuWatch();
            return count;
        }

        // After a snapshot load: the watch lives in the emulator, not in the snapshot; asks for
        // every page watched before the save again.
        public void RestoreCpuWatch()
        {
            if(cpuWatch == null)
            {
                return;
            }
            foreach(var page in watchedPages)
            {
                cpuWatch.WatchPage(page);
            }
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
                if(Checker.CpuWatchVersion != watchVersion)
                {
                    RefreshCpuWatch();
                }
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

        // Watches exactly the pages of what the checker needs to see (Checker.CpuWatchRanges), up
        // to MaxWatchedPages, telling cpuWatch only of the pages that changed.
        private void RefreshCpuWatch()
        {
            if(cpuWatch == null)
            {
                return;
            }
            watchVersion = Checker.CpuWatchVersion;
            var wanted = new HashSet<ulong>();
            var capped = false;
            if(enabled)
            {
                foreach(var (start, end) in Checker.CpuWatchRanges())
                {
                    for(var page = start - start % CpuWatchPageSize; page < end; page += CpuWatchPageSize)
                    {
                        if(wanted.Count >= MaxWatchedPages && !wanted.Contains(page))
                        {
                            capped = true;
                            break;
                        }
                        wanted.Add(page);
                        if(page > ulong.MaxValue - CpuWatchPageSize)
                        {
                            break;
                        }
                    }
                }
                // Stale bytes of frames back in the pool were dropped while listing.
                watchVersion = Checker.CpuWatchVersion;
            }
            if(capped && !capWarned)
            {
                host?.LogGuestError($"DMA checker: the loaded maps need more than {MaxWatchedPages} pages watched; the hart's accesses to the rest are not checked");
            }
            capWarned = capped;
            foreach(var page in new List<ulong>(watchedPages))
            {
                if(!wanted.Contains(page))
                {
                    watchedPages.Remove(page);
                    cpuWatch.UnwatchPage(page);
                }
            }
            foreach(var page in wanted)
            {
                if(watchedPages.Add(page))
                {
                    cpuWatch.WatchPage(page);
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
            RunCheckerCommand(command);
            if(Checker.CpuWatchVersion != watchVersion)
            {
                RefreshCpuWatch();
            }
        }

        private void RunCheckerCommand(uint command)
        {
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
                return;
            case Command.CheckLeaks:
                ReportLeaks();
                return;
            case Command.BounceBorrowed:
            case Command.BounceReturned:
                Checker.ReportBounceFrames(busAddress, length, (Command)command == Command.BounceBorrowed);
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
        // The pages cpuWatch watches for the checker (snapshot state: RestoreCpuWatch asks again).
        private readonly HashSet<ulong> watchedPages;
        private long watchVersion;
        private bool capWarned;
        private bool enabled;
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
            Clear = 6,
            BounceBorrowed = 7,
            BounceReturned = 8
        }
    }
}
