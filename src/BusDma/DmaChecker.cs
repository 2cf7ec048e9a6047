using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.BusDma
{
    // The DMA-API checker (after Linux's kernel/dma/debug.c), done by the emulator where a real
    // machine cannot see: it follows every map, load, sync, unload and DMA memory free of its
    // BusDmaLayer, and every access made through its views:
    // - DeviceView(): what bus masters (DMA engines) are given instead of raw memory;
    // - CpuView(): what driver code running on the CPU reads and writes buffers through.
    // Misuse becomes a DmaFinding (Findings, and a line to LogSink); the checker never changes the
    // outcome of an operation. In non-coherent mode it also makes missing syncs visible in the data
    // (see CpuCacheModel).
    //
    // It also runs without a BusDmaLayer (the public constructor): then maps come as events from
    // code the checker does not run (ReportLoad, ReportSync, ReportUnload: the guest's bus_dma
    // library through DmaCheckerDevice's registers), device accesses through CheckDeviceAccess,
    // and, with FramePool and SetReach, device accesses are also checked against the frames the
    // pool holds as free and each device's reach.
    //
    // Snapshots: all state is plain fields. LogSink is a delegate and is not part of the state:
    // an owner that snapshots the layer (a Renode peripheral) keeps its delegate in a [Transient]
    // field of its own and sets LogSink again after loading. Host and FramePool are objects and
    // are kept.
    public sealed class DmaChecker
    {
        // A coherent checker of its own, fed by events (no BusDmaLayer, no memory behind views:
        // DeviceView and CpuView need an inner memory then). Unmapped device accesses are reported
        // only where a reported map was unloaded (ReportUnmappedAccesses is false): code outside
        // bus_dma (descriptor rings, firmware images) is not the checker's business.
        public DmaChecker(int maxRetainedFindings = 1000)
            : this(null, false, maxRetainedFindings)
        {
            ReportUnmappedAccesses = false;
        }

        internal DmaChecker(IPhysicalMemory memory, bool nonCoherent, int maxRetainedFindings)
        {
            ReportUnmappedAccesses = true;
            reportedMaps = new Dictionary<ulong, DmaMap>();
            unloadedBus = new ByteRangeSet();
            reaches = new Dictionary<string, DeviceReach>();
            runDevice = new string[RunSlots];
            runStart = new ulong[RunSlots];
            runEnd = new ulong[RunSlots];
            this.memory = memory;
            NonCoherent = nonCoherent;
            MaxRetainedFindings = Math.Max(1, maxRetainedFindings);
            findings = new List<DmaFinding>();
            loadedMaps = new List<DmaMap>();
            staleAfterUnload = new ByteRangeSet();
            bounceFrames = new ByteRangeSet();
            coherentMemory = new ByteRangeSet();
            Cache = new CpuCacheModel(memory, coherentMemory);
            countsByKind = new long[Enum.GetValues(typeof(DmaFindingKind)).Length + 1];
        }

        public bool NonCoherent { get; }
        // The oldest findings are dropped beyond this many; TotalFindings keeps counting.
        public int MaxRetainedFindings { get; }
        public IReadOnlyList<DmaFinding> Findings => findings;
        public long TotalFindings => sequence;
        public long DeviceAccesses { get; private set; }
        public long CpuAccesses { get; private set; }
        // Receives each finding's ToString() as it is made. Not snapshot state (see above).
        public Action<string> LogSink { get; set; }
        // Told of every finding and asked for the program counter; null: nobody.
        public IDmaCheckerHost Host { get; set; }
        // The frame pool whose free frames no device may touch; null: not checked.
        public FrameAllocator FramePool { get; set; }
        // Whether a device access no loaded map covers is a finding (DeviceAccessUnmapped). When
        // false, only an access to bus addresses of a map since unloaded (and not loaded again) is.
        public bool ReportUnmappedAccesses { get; set; }

        // Findings of one kind since the checker was created (not reset by ClearFindings).
        public long CountOf(DmaFindingKind kind)
        {
            var index = (int)kind;
            return index >= 0 && index < countsByKind.Length ? countsByKind[index] : 0;
        }

        public void ClearFindings()
        {
            findings.Clear();
        }

        // A memory view for one bus master. inner: what the accesses go to (default: the layer's
        // memory; otherwise the same guest memory seen another way). device names the master in findings.
        public IPhysicalMemory DeviceView(IPhysicalMemory inner = null, string device = null)
        {
            return new CheckedDeviceMemory(this, inner ?? memory ?? throw new ArgumentNullException(nameof(inner)), device ?? "device");
        }

        // The memory view for driver code on the CPU. inner as for DeviceView; in non-coherent mode
        // the CPU cache model sits in front of the layer's memory (syncs write it back there), so
        // inner is used only in coherent mode.
        public IPhysicalMemory CpuView(IPhysicalMemory inner = null)
        {
            return new CheckedCpuMemory(this, inner ?? memory ?? throw new ArgumentNullException(nameof(inner)));
        }

        // For device models that are programmed with segments (descriptors): reports a segment
        // longer than the max segment size or crossing the boundary of the loaded map at address.
        // A segment no loaded map covers is reported as an unmapped access.
        public void CheckProgrammedSegment(ulong address, ulong length, string device = null)
        {
            if(!TryFindBusPiece(address, out var map, out _))
            {
                Report(DmaFindingKind.DeviceAccessUnmapped, DmaOperation.ProgramSegment, DmaSyncOperation.None, null, address, length, device,
                    "segment programmed into the device is not in any loaded map");
                return;
            }
            CheckSegmentShape(map, address, length, DmaOperation.ProgramSegment, device);
        }

        // Non-coherent mode: writes every dirty CPU line back, e.g. before handing memory that no
        // map describes to a device on purpose.
        public void WriteBackCpuCache()
        {
            Cache.WriteBackAll();
        }

        internal CpuCacheModel Cache { get; }

        // The device can reach [low, high) only; an access elsewhere is DeviceAccessUnreachable.
        public void SetReach(string device, ulong low, ulong high)
        {
            reaches[device ?? "device"] = new DeviceReach(low, high);
        }

        public void ClearReach(string device)
        {
            reaches.Remove(device ?? "device");
        }

        // A device access of [address, address + length) that reached memory, as the device sees
        // it after any translation (bus address). Checked, in this order, against the device's
        // reach, the frame pool's free frames and the loaded maps; an access that is out of reach
        // or touches a free frame is not checked further (the first finding says it all).
        public void CheckDeviceAccess(ulong address, ulong length, bool write, string device)
        {
            DeviceAccesses++;
            if(length == 0)
            {
                return;
            }
            var operation = write ? DmaOperation.DeviceWrite : DmaOperation.DeviceRead;
            var end = length > ulong.MaxValue - address ? ulong.MaxValue : address + length;
            if(!CheckReach(address, end, operation, device) || !CheckFrames(address, end, operation, device))
            {
                return;
            }
            var position = address;
            DmaMap first = null;
            while(position < end)
            {
                if(!TryFindBusPiece(position, out var map, out var piece))
                {
                    if(ReportUnmappedAccesses)
                    {
                        ReportUnmapped(position, end, operation, device, "no loaded map covers this bus address");
                    }
                    else if(unloadedBus.TryFirstOverlap(position, end, out var unloaded))
                    {
                        ReportUnmapped(unloaded, end, operation, device, "the map holding this bus address was unloaded (device access after unload)");
                    }
                    break;
                }
                first ??= map;
                var partEnd = Math.Min(end, piece.BusAddress + piece.Length);
                var offset = piece.MapOffset + (position - piece.BusAddress);
                CheckMapAccess(map, offset, offset + (partEnd - position), position, write, device);
                position = partEnd;
            }
            if(first != null)
            {
                CheckSegmentShape(first, address, length, operation, device);
            }
        }

        // A device access of [address, address + length) that did not reach memory (a hole, device
        // registers), or that the device refused for that reason: DeviceAccessOutsideMemory, once
        // per run of consecutive such accesses of one device (DeviceAccessUnreachable instead when
        // it is also outside the device's reach).
        public void ReportOutsideMemory(ulong address, ulong length, bool write, string device)
        {
            DeviceAccesses++;
            var end = length > ulong.MaxValue - address ? ulong.MaxValue : address + length;
            var operation = write ? DmaOperation.DeviceWrite : DmaOperation.DeviceRead;
            // Out of the device's reach says more than "not memory": the device cannot address it at all.
            if(!CheckReach(address, end, operation, device) || ContinuesRun(RunOutsideMemory, device, address, end))
            {
                return;
            }
            Report(DmaFindingKind.DeviceAccessOutsideMemory, operation, DmaSyncOperation.None, null,
                address, length, device, "not memory (a hole or device registers)");
        }

        // The guest's bus_dma library loaded map `handle` (any number naming it, e.g. its address)
        // with these segments in map order, for direction; maxSegmentSize and boundary as the
        // map's (0 = none) for the segment shape checks. A map already loaded is replaced as if
        // unloaded first (the library refuses that load, so it would not report it).
        public void ReportLoad(ulong handle, IReadOnlyList<ReportedSegment> segments, DmaDirection direction, ulong maxSegmentSize = 0, ulong boundary = 0)
        {
            if(reportedMaps.TryGetValue(handle, out var map) && map.IsLoaded)
            {
                ForgetReportedLoad(map);
            }
            if(map == null || map.MaxSegmentSize != maxSegmentSize || map.Boundary != boundary)
            {
                var tag = new DmaTag(null, -1, $"guest map 0x{handle:X}", DmaTagLimits.Unrestricted, null);
                map = new DmaMap(tag, ++reportedMapCount, 0, int.MaxValue, maxSegmentSize, boundary);
                reportedMaps[handle] = map;
            }
            var offset = 0UL;
            foreach(var segment in segments)
            {
                if(segment.Length == 0)
                {
                    continue;
                }
                map.pieces.Add(new DmaPiece(offset, segment.CpuAddress, segment.BusAddress, segment.Length, segment.CpuAddress != segment.BusAddress));
                map.segments.Add(new Segment(segment.BusAddress, segment.Length));
                unloadedBus.Remove(segment.BusAddress, segment.BusAddress + segment.Length);
                // Loaded again: the new map's own state says what the CPU may read from now on.
                RemoveStale(segment.CpuAddress, segment.CpuAddress + segment.Length);
                offset += segment.Length;
            }
            map.MapSize = offset;
            map.Direction = direction;
            map.IsLoaded = true;
            OnLoad(map);
        }

        // The guest's library synced [offset, offset + length) of map handle with operations (PRE
        // and POST not mixed: the library refuses that). Unknown or unloaded map, or a range
        // beyond the loaded size: SyncOutsideMapping; otherwise as a BusDmaLayer sync.
        public void ReportSync(ulong handle, ulong offset, ulong length, DmaSyncOperation operations)
        {
            const DmaSyncOperation pre = DmaSyncOperation.PreRead | DmaSyncOperation.PreWrite;
            reportedMaps.TryGetValue(handle, out var map);
            if(map == null || !map.IsLoaded)
            {
                Report(DmaFindingKind.SyncOutsideMapping, DmaOperation.Sync, operations, map, offset, length, null,
                    $"sync on guest map 0x{handle:X}, which is not loaded");
                return;
            }
            if(offset > map.MapSize || length > map.MapSize - offset)
            {
                Report(DmaFindingKind.SyncOutsideMapping, DmaOperation.Sync, operations, map, offset, length, null,
                    $"sync of [0x{offset:X}, +0x{length:X}) is outside the mapping of 0x{map.MapSize:X} bytes");
                return;
            }
            if((operations & pre) != 0)
            {
                BeforePreSync(map, offset, length, operations);
            }
            else
            {
                AfterPostSync(map, offset, length, operations);
            }
        }

        // The guest's library unloaded map handle. Not loaded: UnloadNotLoaded. Afterwards a
        // device access to the map's bus addresses is DeviceAccessUnmapped until they are loaded again.
        public void ReportUnload(ulong handle)
        {
            if(!reportedMaps.TryGetValue(handle, out var map) || !map.IsLoaded)
            {
                Report(DmaFindingKind.UnloadNotLoaded, DmaOperation.Unload, DmaSyncOperation.None, map, 0, 0, null,
                    $"unloading guest map 0x{handle:X}, which is not loaded");
                return;
            }
            OnUnload(map);
            foreach(var piece in map.pieces)
            {
                unloadedBus.Add(piece.BusAddress, piece.BusAddress + piece.Length);
            }
            ForgetReportedLoad(map);
        }

        // Every reported map still loaded becomes a MapLeaked finding (the guest says it is done,
        // or the machine resets); returns how many.
        public int ReportLeakedMaps()
        {
            var leaked = new List<DmaMap>();
            foreach(var map in reportedMaps.Values)
            {
                if(map.IsLoaded)
                {
                    leaked.Add(map);
                }
            }
            ReportLeaks(leaked, Array.Empty<DmaMemory>(), "when the guest said it was done, or at a machine reset");
            return leaked.Count;
        }

        // The machine restarts: every reported map, unloaded range and run is forgotten; findings stay.
        public void ForgetReportedMaps()
        {
            foreach(var map in reportedMaps.Values)
            {
                if(map.IsLoaded)
                {
                    ForgetReportedLoad(map);
                }
            }
            reportedMaps.Clear();
            unloadedBus.Clear();
            bounceFrames.Clear();
            if(!staleAfterUnload.IsEmpty)
            {
                staleAfterUnload.Clear();
                CpuWatchVersion++;
            }
            for(var slot = 0; slot < RunSlots; slot++)
            {
                runDevice[slot] = null;
            }
            lastUnmappedDevice = null;
            lastUnmappedEnd = 0;
        }

        public int LoadedMapCount => loadedMaps.Count;

        // Changes whenever what CpuWatchRanges returns may have changed (a map loaded or
        // unloaded, stale bytes added or dropped), so a watcher recomputes only then.
        public long CpuWatchVersion { get; private set; }

        // The CPU address ranges whose hart accesses the checker needs to see: every loaded map's
        // buffer, and the bytes a device wrote into maps unloaded without POSTREAD (until they are
        // synced, loaded again, written by the CPU, read once, or their frame is back in the pool).
        // Possibly overlapping, in no particular order.
        public List<(ulong Start, ulong End)> CpuWatchRanges()
        {
            DropStaleInFreeFrames();
            var ranges = new List<(ulong, ulong)>();
            foreach(var map in loadedMaps)
            {
                foreach(var piece in map.pieces)
                {
                    ranges.Add((piece.CpuAddress, piece.CpuAddress + piece.Length));
                }
            }
            for(var i = 0; i < staleAfterUnload.Count; i++)
            {
                ranges.Add((staleAfterUnload.StartAt(i), staleAfterUnload.EndAt(i)));
            }
            return ranges;
        }

        // The guest's library borrowed [address, address + length) from the frame pool for bounce
        // pages (borrowed), or gave it back (not borrowed). Frames still held when the guest says
        // it is done are BounceFramesLeaked (ReportLeakedBounceFrames).
        public void ReportBounceFrames(ulong address, ulong length, bool borrowed)
        {
            var end = length > ulong.MaxValue - address ? ulong.MaxValue : address + length;
            if(borrowed)
            {
                bounceFrames.Add(address, end);
            }
            else
            {
                bounceFrames.Remove(address, end);
            }
        }

        // Bytes the guest's library holds as bounce pages (borrowed from the pool, not given back).
        public ulong BounceBytesHeld
        {
            get
            {
                var total = 0UL;
                for(var i = 0; i < bounceFrames.Count; i++)
                {
                    total += bounceFrames.EndAt(i) - bounceFrames.StartAt(i);
                }
                return total;
            }
        }

        // Bounce frames the library still holds become one BounceFramesLeaked finding (the guest
        // says it is done, or the machine resets); returns how many findings (0 or 1).
        public int ReportLeakedBounceFrames(string when = "when the guest said it was done, or at a machine reset")
        {
            if(bounceFrames.IsEmpty)
            {
                return 0;
            }
            var first = bounceFrames.StartAt(0);
            var bytes = BounceBytesHeld;
            Report(DmaFindingKind.BounceFramesLeaked, DmaOperation.Reset, DmaSyncOperation.None, null, first, bytes, null,
                $"0x{bytes:X} bytes of bounce frames ({bounceFrames.Count} stretch{(bounceFrames.Count == 1 ? "" : "es")}) still borrowed from the frame pool {when} (busdma_machine_fini or busdma_machine_trim gives them back)");
            // Told once: a second leak check reports only what is borrowed after this one.
            bounceFrames.Clear();
            return 1;
        }

        // Every range the reach of a device was set to, by device name.
        public IEnumerable<(string Device, ulong Low, ulong High)> Reaches
        {
            get
            {
                foreach(var entry in reaches)
                {
                    yield return (entry.Key, entry.Value.Low, entry.Value.High);
                }
            }
        }

        public bool HasReach(string device)
        {
            return reaches.ContainsKey(device ?? "device");
        }

        // A CPU access of [address, address + length) to guest memory (CPU address): checked against
        // the loaded maps (CpuReadStale), as the CPU view does for each access.
        public void CheckCpuAccess(ulong address, ulong length, bool write)
        {
            CpuAccesses++;
            if(length == 0)
            {
                return;
            }
            var end = length > ulong.MaxValue - address ? ulong.MaxValue : address + length;
            foreach(var map in loadedMaps)
            {
                var state = map.checkState;
                foreach(var piece in map.pieces)
                {
                    var start = Math.Max(address, piece.CpuAddress);
                    var stop = Math.Min(end, piece.CpuAddress + piece.Length);
                    if(start >= stop)
                    {
                        continue;
                    }
                    var offsetStart = piece.MapOffset + (start - piece.CpuAddress);
                    var offsetEnd = offsetStart + (stop - start);
                    if(write)
                    {
                        if(state.ReadyForDeviceWrite.TryFirstOverlap(offsetStart, offsetEnd, out var owned)
                            && FirstReportSinceSync(state, DmaFindingKind.CpuWriteDeviceOwned))
                        {
                            Report(DmaFindingKind.CpuWriteDeviceOwned, DmaOperation.CpuWrite, DmaSyncOperation.None, map,
                                start + (owned - offsetStart), stop - start, null,
                                $"CPU writes map offset 0x{owned:X}, which the device owns (PREREAD, no POSTREAD since)");
                        }
                        state.CpuWritten.Add(offsetStart, offsetEnd);
                    }
                    else if(state.DeviceWritten.TryFirstOverlap(offsetStart, offsetEnd, out var stale)
                        && FirstReportSinceSync(state, DmaFindingKind.CpuReadStale))
                    {
                        Report(DmaFindingKind.CpuReadStale, DmaOperation.CpuRead, DmaSyncOperation.None, map,
                            start + (stale - offsetStart), stop - start, null,
                            $"CPU reads map offset 0x{stale:X}, written by a device with no POSTREAD since");
                    }
                }
            }
            if(staleAfterUnload.IsEmpty)
            {
                return;
            }
            if(write)
            {
                RemoveStale(address, end);
                return;
            }
            while(staleAfterUnload.TryFirstOverlap(address, end, out var first))
            {
                if(IsFreeFrame(first, out var frameStart, out var frameEnd))
                {
                    // The buffer went back to the pool: whoever reads it now is not its old driver.
                    RemoveStale(frameStart, frameEnd);
                    continue;
                }
                staleAfterUnload.TryGetInterval(first, out var stretchStart, out var stretchEnd);
                Report(DmaFindingKind.CpuReadStale, DmaOperation.CpuRead, DmaSyncOperation.None, null, first, Math.Min(end, stretchEnd) - first, null,
                    "CPU reads a buffer a device wrote into a map that was unloaded with no POSTREAD");
                // Once per stretch: the driver has been told.
                RemoveStale(stretchStart, stretchEnd);
                break;
            }
        }

        internal void OnLoad(DmaMap map)
        {
            // Reused across loads of the same map: a load in a hot path allocates nothing.
            map.checkState ??= new MapCheckState();
            map.checkState.Clear();
            loadedMaps.Add(map);
            CpuWatchVersion++;
            // The layer's own output is checked too: a bad segment here is a bug of the layer.
            foreach(var segment in map.segments)
            {
                CheckSegmentShape(map, segment.Address, segment.Length, DmaOperation.Load, null);
            }
        }

        internal void OnUnload(DmaMap map)
        {
            var state = map.checkState;
            if(state != null && !state.DeviceWritten.IsEmpty)
            {
                // Device data the CPU never synced for: reading it later is still a missing POSTREAD.
                foreach(var piece in map.pieces)
                {
                    var position = piece.MapOffset;
                    while(position < piece.MapEnd && state.DeviceWritten.TryFirstOverlap(position, piece.MapEnd, out var from))
                    {
                        var to = state.DeviceWritten.TryFirstGap(from, piece.MapEnd, out var gap) ? gap : piece.MapEnd;
                        staleAfterUnload.Add(piece.CpuAddress + (from - piece.MapOffset), piece.CpuAddress + (to - piece.MapOffset));
                        position = to;
                    }
                }
            }
            loadedMaps.Remove(map);
            CpuWatchVersion++;
        }

        // PRE syncs, before the layer copies into bounce pages: the CPU's writes become visible to memory.
        internal void BeforePreSync(DmaMap map, ulong offset, ulong length, DmaSyncOperation operations)
        {
            CheckSyncDirection(map, offset, length, operations);
            var state = map.checkState;
            var end = offset + length;
            state.ReportedSinceSync = 0;
            if(NonCoherent)
            {
                ApplyToCpuRanges(map, offset, end, (operations & DmaSyncOperation.PreRead) != 0 ? CacheAction.WriteBackAndFill : CacheAction.WriteBack);
            }
            if((operations & DmaSyncOperation.PreWrite) != 0)
            {
                state.ReadyForDeviceRead.Add(offset, end);
                state.CpuWritten.Remove(offset, end);
            }
            if((operations & DmaSyncOperation.PreRead) != 0)
            {
                state.ReadyForDeviceWrite.Add(offset, end);
            }
        }

        // POST syncs, after the layer copied back from bounce pages: the device's writes become visible to the CPU.
        internal void AfterPostSync(DmaMap map, ulong offset, ulong length, DmaSyncOperation operations)
        {
            CheckSyncDirection(map, offset, length, operations);
            var state = map.checkState;
            var end = offset + length;
            state.ReportedSinceSync = 0;
            if((operations & DmaSyncOperation.PostRead) != 0)
            {
                ApplyToCpuRanges(map, offset, end, CacheAction.Invalidate);
                state.ReadyForDeviceWrite.Remove(offset, end);
                state.DeviceWritten.Remove(offset, end);
            }
            if((operations & DmaSyncOperation.PostWrite) != 0)
            {
                state.ReadyForDeviceRead.Remove(offset, end);
            }
        }

        internal void OnAllocateMemory(DmaMemory dmaMemory)
        {
            if(!dmaMemory.Tag.IsCoherent)
            {
                return;
            }
            foreach(var segment in dmaMemory.Segments)
            {
                // Lines left from earlier use of these frames must not shadow the uncached memory.
                Cache.WriteBack(segment.Address, segment.End, false);
                Cache.Invalidate(segment.Address, segment.End);
                coherentMemory.Add(segment.Address, segment.End);
            }
        }

        internal void OnFreeMemory(DmaMemory dmaMemory)
        {
            if(dmaMemory.Tag.IsCoherent)
            {
                foreach(var segment in dmaMemory.Segments)
                {
                    coherentMemory.Remove(segment.Address, segment.End);
                }
            }
        }

        internal void ReportLeaks(IReadOnlyList<DmaMap> maps, IReadOnlyList<DmaMemory> memories, string when = "at reset")
        {
            foreach(var map in maps)
            {
                if(map.IsLoaded)
                {
                    var first = map.segments.Count > 0 ? map.segments[0].Address : 0;
                    Report(DmaFindingKind.MapLeaked, DmaOperation.Reset, DmaSyncOperation.None, map, first, map.MapSize, null,
                        $"map still loaded {when} ({map.segments.Count} segments, 0x{map.MapSize:X} bytes)");
                }
            }
            foreach(var dmaMemory in memories)
            {
                var first = dmaMemory.Segments.Length > 0 ? dmaMemory.Segments[0].Address : 0;
                Report(DmaFindingKind.DmaMemoryLeaked, DmaOperation.Reset, DmaSyncOperation.None, null, first, dmaMemory.Size, null,
                    $"DMA memory #{dmaMemory.Id} ({dmaMemory.Tag.Name}) still allocated at reset");
            }
        }

        // Forgets every map, stale range and cache line (the machine restarts); findings stay.
        internal void Reset()
        {
            foreach(var map in loadedMaps)
            {
                map.checkState = null;
            }
            loadedMaps.Clear();
            staleAfterUnload.Clear();
            bounceFrames.Clear();
            CpuWatchVersion++;
            coherentMemory.Clear();
            Cache.Clear();
            lastUnmappedDevice = null;
            lastUnmappedEnd = 0;
        }

        internal void Report(DmaFindingKind kind, DmaOperation operation, DmaSyncOperation syncOperation, DmaMap map,
            ulong address, ulong length, string device, string message)
        {
            sequence++;
            countsByKind[(int)kind]++;
            var host = Host;
            var finding = new DmaFinding(sequence, kind, operation, syncOperation, map, address, length, device, message, host?.CurrentProgramCounter);
            if(findings.Count >= MaxRetainedFindings)
            {
                findings.RemoveAt(0);
            }
            findings.Add(finding);
            LogSink?.Invoke(finding.ToString());
            host?.OnFinding(finding);
        }

        private void ForgetReportedLoad(DmaMap map)
        {
            if(loadedMaps.Remove(map))
            {
                CpuWatchVersion++;
            }
            map.pieces.Clear();
            map.segments.Clear();
            map.MapSize = 0;
            map.IsLoaded = false;
        }

        // False (after a finding, once per run) when [address, end) leaves the device's reach.
        private bool CheckReach(ulong address, ulong end, DmaOperation operation, string device)
        {
            if(reaches.Count == 0 || !reaches.TryGetValue(device ?? "device", out var reach))
            {
                return true;
            }
            if(address >= reach.Low && end <= reach.High)
            {
                return true;
            }
            if(!ContinuesRun(RunUnreachable, device, address, end))
            {
                var first = address >= reach.Low && address < reach.High ? reach.High : address;
                Report(DmaFindingKind.DeviceAccessUnreachable, operation, DmaSyncOperation.None, null, first, end - first, device,
                    $"outside the device's reach [0x{reach.Low:X}, 0x{reach.High:X})");
            }
            return false;
        }

        // False (after a finding, once per run) when [address, end) touches a frame the pool holds as free.
        private bool CheckFrames(ulong address, ulong end, DmaOperation operation, string device)
        {
            var pool = FramePool;
            if(pool == null)
            {
                return true;
            }
            var step = ulong.MaxValue;
            foreach(var range in pool.Ranges)
            {
                step = Math.Min(step, range.PageSize);
            }
            var position = address;
            while(position < end)
            {
                var state = pool.GetPageState(position);
                if(state == PageState.Free)
                {
                    if(!ContinuesRun(RunFreeFrame, device, address, end))
                    {
                        Report(DmaFindingKind.DeviceAccessFreeFrame, operation, DmaSyncOperation.None, null, position, end - position, device,
                            "the frame pool holds this frame as free (DMA after it was returned, or into memory nobody borrowed)");
                    }
                    return false;
                }
                var next = position - position % step + step;
                if(next <= position)
                {
                    break;
                }
                position = next;
            }
            return true;
        }

        // Whether [start, end) by device continues the last run of accesses of its slot (the same
        // start, or starting where it ended), so a transfer reported in pieces is one finding.
        private bool ContinuesRun(int slot, string device, ulong start, ulong end)
        {
            var continues = runDevice[slot] == device && (runEnd[slot] == start || runStart[slot] == start);
            runDevice[slot] = device;
            runStart[slot] = start;
            runEnd[slot] = end;
            return continues;
        }

        private void CheckMapAccess(DmaMap map, ulong offsetStart, ulong offsetEnd, ulong busAddress, bool write, string device)
        {
            var state = map.checkState;
            var operation = write ? DmaOperation.DeviceWrite : DmaOperation.DeviceRead;
            var length = offsetEnd - offsetStart;
            if(write)
            {
                if(map.Direction == DmaDirection.ToDevice)
                {
                    if(FirstReportSinceSync(state, DmaFindingKind.DeviceAccessUnprepared))
                    {
                        Report(DmaFindingKind.DeviceAccessUnprepared, operation, DmaSyncOperation.None, map, busAddress, length, device,
                            $"device writes map offset 0x{offsetStart:X} of a map loaded ToDevice");
                    }
                }
                else if(state.ReadyForDeviceWrite.TryFirstGap(offsetStart, offsetEnd, out var gap)
                    && FirstReportSinceSync(state, DmaFindingKind.DeviceAccessUnprepared))
                {
                    Report(DmaFindingKind.DeviceAccessUnprepared, operation, DmaSyncOperation.None, map, busAddress + (gap - offsetStart), length, device,
                        $"device writes map offset 0x{gap:X} with no PREREAD since load or the last POSTREAD");
                }
                state.DeviceWritten.Add(offsetStart, offsetEnd);
                return;
            }
            if(state.ReadyForDeviceRead.TryFirstGap(offsetStart, offsetEnd, out var unprepared))
            {
                if(FirstReportSinceSync(state, DmaFindingKind.DeviceAccessUnprepared))
                {
                    Report(DmaFindingKind.DeviceAccessUnprepared, operation, DmaSyncOperation.None, map, busAddress + (unprepared - offsetStart), length, device,
                        $"device reads map offset 0x{unprepared:X} with no PREWRITE since load or the last POSTWRITE");
                }
            }
            else if(state.CpuWritten.TryFirstOverlap(offsetStart, offsetEnd, out var stale)
                && FirstReportSinceSync(state, DmaFindingKind.DeviceReadStale))
            {
                Report(DmaFindingKind.DeviceReadStale, operation, DmaSyncOperation.None, map, busAddress + (stale - offsetStart), length, device,
                    $"device reads map offset 0x{stale:X}, written by the CPU after the last PREWRITE");
            }
        }

        private void CheckSegmentShape(DmaMap map, ulong address, ulong length, DmaOperation operation, string device)
        {
            if(map.MaxSegmentSize != 0 && length > map.MaxSegmentSize)
            {
                Report(DmaFindingKind.SegmentTooLong, operation, DmaSyncOperation.None, map, address, length, device,
                    $"segment of 0x{length:X} bytes is longer than the max segment size 0x{map.MaxSegmentSize:X}");
            }
            if(map.Boundary != 0 && length > 0 && (address & ~(map.Boundary - 1)) != ((address + length - 1) & ~(map.Boundary - 1)))
            {
                Report(DmaFindingKind.SegmentCrossesBoundary, operation, DmaSyncOperation.None, map, address, length, device,
                    $"segment [0x{address:X}, 0x{address + length:X}) crosses a multiple of the boundary 0x{map.Boundary:X}");
            }
        }

        private void CheckSyncDirection(DmaMap map, ulong offset, ulong length, DmaSyncOperation operations)
        {
            const DmaSyncOperation readSyncs = DmaSyncOperation.PreRead | DmaSyncOperation.PostRead;
            const DmaSyncOperation writeSyncs = DmaSyncOperation.PreWrite | DmaSyncOperation.PostWrite;
            if(map.Direction == DmaDirection.ToDevice && (operations & readSyncs) != 0)
            {
                Report(DmaFindingKind.SyncWrongDirection, DmaOperation.Sync, operations, map, offset, length, null,
                    "READ sync on a map loaded ToDevice (the device only reads it)");
            }
            else if(map.Direction == DmaDirection.FromDevice && (operations & writeSyncs) != 0)
            {
                Report(DmaFindingKind.SyncWrongDirection, DmaOperation.Sync, operations, map, offset, length, null,
                    "WRITE sync on a map loaded FromDevice (the device only writes it)");
            }
        }

        private void ReportUnmapped(ulong start, ulong end, DmaOperation operation, string device, string message)
        {
            // One finding per run of consecutive unmapped accesses by one device.
            var continues = lastUnmappedDevice == device && lastUnmappedEnd == start;
            lastUnmappedDevice = device;
            lastUnmappedEnd = end;
            if(continues)
            {
                return;
            }
            Report(DmaFindingKind.DeviceAccessUnmapped, operation, DmaSyncOperation.None, null, start, end - start, device, message);
        }

        private bool FirstReportSinceSync(MapCheckState state, DmaFindingKind kind)
        {
            var bit = 1 << (int)kind;
            if((state.ReportedSinceSync & bit) != 0)
            {
                return false;
            }
            state.ReportedSinceSync |= bit;
            return true;
        }

        private bool TryFindBusPiece(ulong address, out DmaMap map, out DmaPiece piece)
        {
            foreach(var candidate in loadedMaps)
            {
                foreach(var p in candidate.pieces)
                {
                    if(address >= p.BusAddress && address - p.BusAddress < p.Length)
                    {
                        map = candidate;
                        piece = p;
                        return true;
                    }
                }
            }
            map = null;
            piece = default;
            return false;
        }

        // The cache operations of a sync act on where the CPU sees the synced part of the map
        // (the caller's buffer, not the bounce pages). No delegate: syncs run in hot paths.
        private void ApplyToCpuRanges(DmaMap map, ulong offset, ulong end, CacheAction action)
        {
            foreach(var piece in map.pieces)
            {
                var start = Math.Max(offset, piece.MapOffset);
                var stop = Math.Min(end, piece.MapEnd);
                if(start >= stop)
                {
                    continue;
                }
                var cpuStart = piece.CpuAddress + (start - piece.MapOffset);
                var cpuStop = piece.CpuAddress + (stop - piece.MapOffset);
                if(action == CacheAction.Invalidate)
                {
                    // POSTREAD: the CPU sees memory again, so what a device wrote into an earlier map
                    // of these bytes, unloaded without POSTREAD, is no longer stale.
                    RemoveStale(cpuStart, cpuStop);
                    if(NonCoherent)
                    {
                        Cache.Invalidate(cpuStart, cpuStop);
                    }
                }
                else
                {
                    Cache.WriteBack(cpuStart, cpuStop, action == CacheAction.WriteBackAndFill);
                }
            }
        }

        private void RemoveStale(ulong start, ulong end)
        {
            if(staleAfterUnload.Overlaps(start, end))
            {
                staleAfterUnload.Remove(start, end);
                CpuWatchVersion++;
            }
        }

        // Stale bytes whose frame the pool holds as free are forgotten (see CpuWatchRanges).
        private void DropStaleInFreeFrames()
        {
            if(FramePool == null)
            {
                return;
            }
            var i = 0;
            while(i < staleAfterUnload.Count)
            {
                var position = staleAfterUnload.StartAt(i);
                var end = staleAfterUnload.EndAt(i);
                var dropped = false;
                while(position < end)
                {
                    if(!IsFreeFrame(position, out var frameStart, out var frameEnd))
                    {
                        if(frameEnd <= position)
                        {
                            break;
                        }
                        position = frameEnd;
                        continue;
                    }
                    RemoveStale(frameStart, frameEnd);
                    dropped = true;
                    break;
                }
                if(!dropped)
                {
                    i++;
                }
                // else: the intervals changed at i; look at i again.
            }
        }

        // Whether the frame pool holds address's frame as free; the frame's bounds either way
        // (end not after address when there is no pool or the address is in none of its ranges).
        private bool IsFreeFrame(ulong address, out ulong frameStart, out ulong frameEnd)
        {
            frameStart = address;
            frameEnd = address;
            var pool = FramePool;
            if(pool == null)
            {
                return false;
            }
            foreach(var range in pool.Ranges)
            {
                if(range.Contains(address))
                {
                    frameStart = address - (address - range.Base) % range.PageSize;
                    frameEnd = frameStart + range.PageSize;
                    return pool.GetPageState(address) == PageState.Free;
                }
            }
            return false;
        }

        private const int RunSlots = 3;
        private const int RunFreeFrame = 0;
        private const int RunUnreachable = 1;
        private const int RunOutsideMemory = 2;

        private long sequence;
        private int reportedMapCount;
        private string lastUnmappedDevice;
        private ulong lastUnmappedEnd;

        private readonly IPhysicalMemory memory;
        private readonly List<DmaFinding> findings;
        private readonly List<DmaMap> loadedMaps;
        // CPU addresses a device wrote into maps unloaded without POSTREAD.
        private readonly ByteRangeSet staleAfterUnload;
        // Frames the guest's library borrowed from the pool for bounce pages and holds.
        private readonly ByteRangeSet bounceFrames;
        // Coherent DMA memory: bypasses the CPU cache model.
        private readonly ByteRangeSet coherentMemory;
        private readonly long[] countsByKind;
        // Maps reported by guest code, by its handle.
        private readonly Dictionary<ulong, DmaMap> reportedMaps;
        // Bus addresses of reported maps since unloaded and not loaded again.
        private readonly ByteRangeSet unloadedBus;
        private readonly Dictionary<string, DeviceReach> reaches;
        private readonly string[] runDevice;
        private readonly ulong[] runStart;
        private readonly ulong[] runEnd;

        private enum CacheAction
        {
            WriteBack,
            WriteBackAndFill,
            Invalidate
        }
    }
}
