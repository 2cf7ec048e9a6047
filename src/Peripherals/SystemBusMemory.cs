using System;
using System.Runtime.CompilerServices;
using Antmicro.Migrant;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals
{
    // IPhysicalMemory over a Renode bus, as seen by one bus master: what the device models use
    // inside Renode. Only memory is reachable (onlyMemory: true): a model can never hit device
    // registers through it, and an access that is not all memory (a register or a gap in the
    // way) fails as a whole, touching nothing.
    //
    // Fast path: where the bus is Renode's system bus behind proxies that change nothing, the RAM
    // registered on it (IMapped memory such as MappedMemory) is resolved once into a BusMemoryMap,
    // and an access that lies in one registration is a host memory copy between its segments, with
    // the CPUs' translation blocks over the written bytes invalidated as MappedMemory.WriteBytes
    // does. The map is rebuilt after the machine reports a peripheral added, moved, removed or
    // renamed. Everything else (a translating proxy, memory that is not IMapped, a range across
    // registrations or into a hole) takes the bus's own accesses, in bounded pieces.
    //
    // Watched (Watch): every access is also reported to the DMA checker as the master's, and so is
    // an IsMemory query that fails (a model asks before it touches a range, and refuses the
    // transfer when the answer is no). Unwatched, that costs one null test per access.
    public sealed class SystemBusMemory : RenodeFrameAlloc.Devices.Memory.IBulkPhysicalMemory
    {
        // machine: where to hear of registration changes; without it there is no fast path.
        public SystemBusMemory(IBusController bus, IMachine machine = null)
        {
            this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
            this.machine = machine;
            if(machine != null)
            {
                machine.PeripheralsChanged += OnPeripheralsChanged;
            }
        }

        // From now on, report every access to checker as master's (null: stop). The owner calls
        // it again after a snapshot load (this object is rebuilt then).
        public void Watch(Antmicro.Renode.Peripherals.Miscellaneous.DmaCheckerDevice checker, IPeripheral master)
        {
            this.checker = checker;
            this.master = master;
            masterName = null;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryRead(ulong address, Span<byte> destination)
        {
            var map = Map;
            if(map.TryFindRegion(address, (ulong)destination.Length, out var region))
            {
                map.Read(region, address, destination);
                checker?.OnDeviceAccess(MasterName, address, (ulong)destination.Length, false, true);
                return true;
            }
            var reached = IsMemoryCore(address, (ulong)destination.Length);
            checker?.OnDeviceAccess(MasterName, address, (ulong)destination.Length, false, reached);
            if(!reached)
            {
                return false;
            }
            try
            {
                var data = Buffer(destination.Length);
                bus.ReadBytes(address, destination.Length, data, 0, true);
                data.AsSpan(0, destination.Length).CopyTo(destination);
                return true;
            }
            catch(RecoverableException)
            {
                return false;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
        {
            var map = Map;
            if(map.TryFindRegion(address, (ulong)source.Length, out var region))
            {
                map.Write(region, address, source);
                Written(map, region, address, (ulong)source.Length);
                checker?.OnDeviceAccess(MasterName, address, (ulong)source.Length, true, true);
                return true;
            }
            var reached = IsMemoryCore(address, (ulong)source.Length);
            checker?.OnDeviceAccess(MasterName, address, (ulong)source.Length, true, reached);
            if(!reached)
            {
                return false;
            }
            try
            {
                var data = Buffer(source.Length);
                source.CopyTo(data);
                bus.WriteBytes(data, address, 0, source.Length, true);
                return true;
            }
            catch(RecoverableException)
            {
                return false;
            }
        }

        // Copies length bytes as memmove does within one registration (overlap elsewhere leaves
        // the destination unspecified, as docs/dma-engine.md allows). False, moving nothing, when
        // either range is not all memory. Allocates nothing of the transfer's size: the fallback
        // goes through one buffer of at most SlowPiece bytes.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryCopy(ulong source, ulong destination, ulong length)
        {
            if(length == 0)
            {
                return true;
            }
            var map = Map;
            if(map.TryFindRegion(source, length, out var from) && map.TryFindRegion(destination, length, out var to))
            {
                map.Copy(from, source, to, destination, length);
                Written(map, to, destination, length);
                if(checker != null)
                {
                    checker.OnDeviceAccess(MasterName, source, length, false, true);
                    checker.OnDeviceAccess(MasterName, destination, length, true, true);
                }
                return true;
            }
            var sourceReached = IsMemoryCore(source, length);
            var destinationReached = sourceReached && IsMemoryCore(destination, length);
            if(checker != null)
            {
                checker.OnDeviceAccess(MasterName, source, length, false, sourceReached);
                if(sourceReached)
                {
                    checker.OnDeviceAccess(MasterName, destination, length, true, destinationReached);
                }
            }
            if(!destinationReached)
            {
                return false;
            }
            try
            {
                var backwards = destination > source && destination - source < length;
                var data = Buffer((int)Math.Min(length, SlowPiece));
                var done = 0UL;
                while(done < length)
                {
                    var count = Math.Min(length - done, SlowPiece);
                    var offset = backwards ? length - done - count : done;
                    bus.ReadBytes(source + offset, (int)count, data, 0, true);
                    bus.WriteBytes(data, destination + offset, 0, (long)count, true);
                    done += count;
                }
                return true;
            }
            catch(RecoverableException)
            {
                return false;
            }
        }

        // Memory throughout: the map answers for RAM it knows; otherwise the bus is asked one
        // registration at a time. Renode's onlyMemory accesses fail on a register-mapped
        // peripheral but skip unmapped gaps silently (reads leave zeros, writes vanish), so a gap
        // is found here. Through a proxy the walk goes page by page: a proxy may translate (the
        // TLB's does), and then its WhatIsAt answers in another space.
        public bool IsMemory(ulong address, ulong length)
        {
            var memory = IsMemoryCore(address, length);
            if(!memory)
            {
                // The model asks before it touches a range: a no is an access it will refuse.
                checker?.OnDeviceAccess(MasterName, address, length, false, false);
            }
            return memory;
        }

        // IsMemory without telling the checker of a no (IBulkPhysicalMemory.IsMemoryUnreported).
        public bool IsMemoryUnreported(ulong address, ulong length)
        {
            return IsMemoryCore(address, length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool IsMemoryCore(ulong address, ulong length)
        {
            if(length == 0)
            {
                return true;
            }
            var last = address + length - 1;
            if(last < address)
            {
                return false;
            }
            if(Map.Covers(address, last))
            {
                return true;
            }
            var cursor = address;
            while(true)
            {
                if(!bus.IsMemory(cursor))
                {
                    return false;
                }
                var range = bus is BusControllerProxy ? null : bus.WhatIsAt(cursor)?.RegistrationPoint.Range;
                var end = range.HasValue && range.Value.Contains(cursor) ? range.Value.EndAddress : cursor | (WalkStep - 1);
                if(end >= last)
                {
                    return true;
                }
                cursor = end + 1;
            }
        }

        // Until the matching EndBatch, the CPUs' translation blocks over written bytes are only
        // queued (adjacent writes merged into one range) and invalidated together at EndBatch, so a
        // transfer that writes page by page costs one invalidation. The caller must reach EndBatch
        // before a CPU runs again (e.g. both within one register write); batches nest.
        public void BeginBatch()
        {
            batchDepth++;
        }

        public void EndBatch()
        {
            if(batchDepth == 0 || --batchDepth > 0)
            {
                return;
            }
            var map = pendingMap;
            if(map != null)
            {
                map.OrderTranslationBlockInvalidation(pendingMemory, pendingStart, pendingEnd - pendingStart, true);
                map.FlushTranslationBlockInvalidations();
                pendingMap = null;
                pendingMemory = null;
            }
        }

        // Bytes the fast path wrote: their translation blocks are stale for every CPU.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Written(BusMemoryMap map, BusMemoryMap.Region region, ulong address, ulong length)
        {
            var start = region.MemoryOffset(address);
            var end = start + length;
            if(batchDepth == 0)
            {
                map.OrderTranslationBlockInvalidation(region.Memory, start, length, false);
                return;
            }
            if(pendingMap == map && ReferenceEquals(pendingMemory, region.Memory) && start <= pendingEnd && end >= pendingStart)
            {
                pendingStart = Math.Min(pendingStart, start);
                pendingEnd = Math.Max(pendingEnd, end);
                return;
            }
            if(pendingMap != null)
            {
                pendingMap.OrderTranslationBlockInvalidation(pendingMemory, pendingStart, pendingEnd - pendingStart, true);
            }
            pendingMap = map;
            pendingMemory = region.Memory;
            pendingStart = start;
            pendingEnd = end;
        }

        private string MasterName => masterName ??= checker.NameOf(master);

        // The current map (built on first use and after a registration change).
        private BusMemoryMap Map
        {
            get
            {
                var map = cachedMap;
                if(map == null)
                {
                    map = machine == null ? BusMemoryMap.Empty : BusMemoryMap.Build(bus);
                    cachedMap = map;
                }
                return map;
            }
        }

        private void OnPeripheralsChanged(IMachine changed, PeripheralsChangedEventArgs change)
        {
            cachedMap = null;
        }

        // Renode's bulk accesses take arrays: one kept for all of them instead of one per access.
        private byte[] Buffer(int length)
        {
            if(buffer == null || buffer.Length < length)
            {
                buffer = new byte[length];
            }
            return buffer;
        }

        private const ulong WalkStep = 0x1000;
        private const ulong SlowPiece = 64 * 1024;

        private readonly IBusController bus;
        private readonly IMachine machine;
        // Set by Watch, which the owner calls again after a snapshot load.
        [Transient]
        private Antmicro.Renode.Peripherals.Miscellaneous.DmaCheckerDevice checker;
        [Transient]
        private IPeripheral master;
        [Transient]
        private string masterName;
        // Caches, not state: a snapshot leaves them out (the adapters rebuild this object after a load).
        [Transient]
        private byte[] buffer;
        [Transient]
        private volatile BusMemoryMap cachedMap;
        // The batch in progress (BeginBatch/EndBatch): transient, a batch never outlives a call.
        [Transient]
        private int batchDepth;
        [Transient]
        private BusMemoryMap pendingMap;
        [Transient]
        private IMapped pendingMemory;
        [Transient]
        private ulong pendingStart;
        [Transient]
        private ulong pendingEnd;
    }
}
