using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals
{
    // The RAM of a Renode system bus resolved once: every registration of host-mapped memory
    // (IMapped, e.g. MappedMemory) that the bus counts as memory, with its segments, and the
    // translation-block invalidation of every CPU on the bus. Lets SystemBusMemory copy guest RAM
    // as host memory, which is what the CPUs themselves do through tlib's mapping of the same
    // segments. Immutable: SystemBusMemory builds a new one when the machine's peripherals change.
    //
    // Writes invalidate the CPUs' translation blocks over every bus alias of the written bytes,
    // with the call MappedMemory.WriteBytes makes (TranslationCPU.OrderTranslationBlocksInvalidation,
    // public in Renode 1.16.1), bound once per CPU instead of dispatched dynamically per write.
    internal sealed class BusMemoryMap
    {
        // Resolves bus through proxies that change nothing (Renode wraps every peripheral's bus
        // in one); a proxy that overrides any access (a translating one such as the TLB's) leaves
        // the map empty, so every access goes through it.
        public static BusMemoryMap Build(IBusController bus)
        {
            var target = Unwrap(bus);
            if(target == null)
            {
                return Empty;
            }
            var regions = new List<Region>();
            foreach(var registered in target.GetRegisteredPeripherals())
            {
                if(!(registered.Peripheral is IMapped mapped))
                {
                    continue;
                }
                var range = registered.RegistrationPoint.Range;
                if(range.Size == 0 || !target.IsMemory(range.StartAddress))
                {
                    continue;
                }
                var segments = mapped.MappedSegments.OrderBy(s => s.StartingOffset).ToArray();
                var region = new Region(range.StartAddress, range.Size, registered.RegistrationPoint.Offset, mapped, segments);
                if(region.IsBackedThroughout())
                {
                    regions.Add(region);
                }
            }
            regions.Sort((a, b) => a.Start.CompareTo(b.Start));
            for(var i = 1; i < regions.Count; i++)
            {
                if(regions[i].Start <= regions[i - 1].Last)
                {
                    // Overlapping registrations: which one wins is the bus's business.
                    return Empty;
                }
            }
            var invalidators = new List<Action<IntPtr, IntPtr, bool>>();
            var flushers = new List<Action>();
            foreach(var cpu in target.GetCPUs())
            {
                var order = cpu.GetType().GetMethod(OrderMethod, BindingFlags.Public | BindingFlags.Instance, null,
                    new[] { typeof(IntPtr), typeof(IntPtr), typeof(bool) }, null);
                var flush = cpu.GetType().GetMethod(FlushMethod, BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
                if(order == null || order.ReturnType != typeof(void))
                {
                    // As in MappedMemory: a CPU without it has no translation blocks to invalidate.
                    continue;
                }
                invalidators.Add((Action<IntPtr, IntPtr, bool>)Delegate.CreateDelegate(typeof(Action<IntPtr, IntPtr, bool>), cpu, order));
                if(flush == null || flush.ReturnType != typeof(void))
                {
                    // Never delay what could not be flushed.
                    return new BusMemoryMap(regions.ToArray(), Array.Empty<Action<IntPtr, IntPtr, bool>>(), Array.Empty<Action>(), false);
                }
                flushers.Add((Action)Delegate.CreateDelegate(typeof(Action), cpu, flush));
            }
            return new BusMemoryMap(regions.ToArray(), invalidators.ToArray(), flushers.ToArray(), true);
        }

        // The registration that holds all of [address, address + length), length >= 1.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryFindRegion(ulong address, ulong length, out Region region)
        {
            region = Find(address);
            if(region == null || length == 0 || length - 1 > region.Last - address)
            {
                region = null;
                return false;
            }
            return true;
        }

        // True when [address, last] lies in registrations that follow each other without a gap.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Covers(ulong address, ulong last)
        {
            var region = Find(address);
            while(region != null)
            {
                if(region.Last >= last)
                {
                    return true;
                }
                region = Find(region.Last + 1);
            }
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void Read(Region region, ulong address, Span<byte> destination)
        {
            var offset = region.MemoryOffset(address);
            var done = 0;
            while(done < destination.Length)
            {
                var pointer = region.Locate(offset + (ulong)done, out var room);
                var count = (int)Math.Min((ulong)(destination.Length - done), room);
                new ReadOnlySpan<byte>((void*)pointer, count).CopyTo(destination.Slice(done, count));
                done += count;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void Write(Region region, ulong address, ReadOnlySpan<byte> source)
        {
            var offset = region.MemoryOffset(address);
            var done = 0;
            while(done < source.Length)
            {
                var pointer = region.Locate(offset + (ulong)done, out var room);
                var count = (int)Math.Min((ulong)(source.Length - done), room);
                source.Slice(done, count).CopyTo(new Span<byte>((void*)pointer, count));
                done += count;
            }
        }

        // memmove within one memory (overlap handled); pieces end at the segments of both sides.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void Copy(Region from, ulong source, Region to, ulong destination, ulong length)
        {
            var fromOffset = from.MemoryOffset(source);
            var toOffset = to.MemoryOffset(destination);
            var backwards = ReferenceEquals(from.Memory, to.Memory) && toOffset > fromOffset && toOffset - fromOffset < length;
            var done = 0UL;
            while(done < length)
            {
                ulong count;
                IntPtr sourcePointer;
                IntPtr destinationPointer;
                if(backwards)
                {
                    var last = length - done - 1;
                    from.LocateBackwards(fromOffset + last, out var fromRoom);
                    to.LocateBackwards(toOffset + last, out var toRoom);
                    count = Math.Min(length - done, Math.Min(fromRoom, toRoom));
                    var start = last + 1 - count;
                    sourcePointer = from.Locate(fromOffset + start, out _);
                    destinationPointer = to.Locate(toOffset + start, out _);
                }
                else
                {
                    sourcePointer = from.Locate(fromOffset + done, out var fromRoom);
                    destinationPointer = to.Locate(toOffset + done, out var toRoom);
                    count = Math.Min(length - done, Math.Min(fromRoom, toRoom));
                }
                Buffer.MemoryCopy((void*)sourcePointer, (void*)destinationPointer, (long)count, (long)count);
                done += count;
            }
        }

        public static readonly BusMemoryMap Empty = new BusMemoryMap(Array.Empty<Region>(), Array.Empty<Action<IntPtr, IntPtr, bool>>(), Array.Empty<Action>(), true);

        private BusMemoryMap(Region[] regions, Action<IntPtr, IntPtr, bool>[] invalidators, Action[] flushers, bool usable)
        {
            // Not usable (a CPU's invalidation could not be bound): no regions, so every access
            // takes the bus, where MappedMemory invalidates.
            this.regions = usable ? regions : Array.Empty<Region>();
            this.invalidators = invalidators;
            this.flushers = flushers;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Region Find(ulong address)
        {
            var low = 0;
            var high = regions.Length - 1;
            while(low <= high)
            {
                var middle = (low + high) / 2;
                var region = regions[middle];
                if(address < region.Start)
                {
                    high = middle - 1;
                }
                else if(address > region.Last)
                {
                    low = middle + 1;
                }
                else
                {
                    return region;
                }
            }
            return null;
        }

        // Orders the invalidation of the translation blocks over bytes [memoryOffset, +length) of
        // memory, at every bus address it is registered at, for every CPU. With delay, the CPUs
        // only queue the ranges until FlushTranslationBlockInvalidations.
        public void OrderTranslationBlockInvalidation(IMapped memory, ulong memoryOffset, ulong length, bool delay)
        {
            if(invalidators.Length == 0)
            {
                return;
            }
            var end = memoryOffset + length;
            foreach(var region in regions)
            {
                if(!ReferenceEquals(region.Memory, memory))
                {
                    continue;
                }
                var low = Math.Max(memoryOffset, region.Offset);
                var high = Math.Min(end, region.Offset + region.Size);
                if(low >= high)
                {
                    continue;
                }
                var busStart = region.Start + (low - region.Offset);
                var busEnd = busStart + (high - low);
                foreach(var invalidate in invalidators)
                {
                    invalidate(new IntPtr((long)busStart), new IntPtr((long)busEnd), delay);
                }
            }
        }

        // Makes every CPU invalidate what it queued (TranslationCPU.InvalidateTranslationBlocks).
        public void FlushTranslationBlockInvalidations()
        {
            foreach(var flush in flushers)
            {
                flush();
            }
        }

        private static IBusController Unwrap(IBusController bus)
        {
            var controller = bus;
            while(controller is BusControllerProxy proxy)
            {
                if(!IsTransparent(proxy.GetType()))
                {
                    return null;
                }
                controller = proxy.ParentController;
            }
            return controller;
        }

        // A proxy type that overrides none of BusControllerProxy's virtual members forwards
        // every access unchanged.
        private static bool IsTransparent(Type type)
        {
            foreach(var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                if(method.IsVirtual && method.DeclaringType != typeof(BusControllerProxy)
                    && method.GetBaseDefinition().DeclaringType == typeof(BusControllerProxy))
                {
                    return false;
                }
            }
            return true;
        }

        private readonly Region[] regions;
        private readonly Action<IntPtr, IntPtr, bool>[] invalidators;
        private readonly Action[] flushers;

        private const string OrderMethod = "OrderTranslationBlocksInvalidation";
        private const string FlushMethod = "InvalidateTranslationBlocks";

        // One registration: bus [Start, Last] shows Memory from byte Offset on.
        internal sealed class Region
        {
            public Region(ulong start, ulong size, ulong offset, IMapped memory, IMappedSegment[] segments)
            {
                Start = start;
                Size = size;
                Last = start + (size - 1);
                Offset = offset;
                Memory = memory;
                this.segments = segments;
                starts = segments.Select(x => x.StartingOffset).ToArray();
                sizes = segments.Select(x => x.Size).ToArray();
                pointers = new IntPtr[segments.Length];
            }

            public bool IsBackedThroughout()
            {
                var expected = 0UL;
                foreach(var segment in segments)
                {
                    if(segment.StartingOffset != expected || segment.Size == 0)
                    {
                        return false;
                    }
                    expected += segment.Size;
                }
                return Offset <= expected && Size <= expected - Offset;
            }

            public ulong MemoryOffset(ulong address)
            {
                return address - Start + Offset;
            }

            // Host address of memory byte offset (its segment allocated if it was not), and the
            // bytes from there to the end of the segment. A segment's address is asked for once:
            // MappedMemory keeps a segment where it allocated it until it is disposed, and a map
            // never outlives a registration change (SystemBusMemory rebuilds it).
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public IntPtr Locate(ulong offset, out ulong room)
            {
                var index = IndexOf(offset);
                var pointer = pointers[index];
                if(pointer == IntPtr.Zero)
                {
                    segments[index].Touch();
                    pointer = segments[index].Pointer;
                    pointers[index] = pointer;
                }
                var inSegment = offset - starts[index];
                room = sizes[index] - inSegment;
                return new IntPtr((long)pointer + (long)inSegment);
            }

            // As Locate, with room counted backwards: the bytes from the segment's start up to and
            // including offset.
            public void LocateBackwards(ulong offset, out ulong room)
            {
                room = offset - starts[IndexOf(offset)] + 1;
            }

            public ulong Start { get; }

            public ulong Size { get; }

            public ulong Last { get; }

            public ulong Offset { get; }

            public IMapped Memory { get; }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private int IndexOf(ulong offset)
            {
                var low = 0;
                var high = starts.Length - 1;
                while(low < high)
                {
                    var middle = (low + high + 1) / 2;
                    if(starts[middle] <= offset)
                    {
                        low = middle;
                    }
                    else
                    {
                        high = middle - 1;
                    }
                }
                return low;
            }

            private readonly IMappedSegment[] segments;
            // The segments' offsets and sizes (fixed), and their host addresses once asked for.
            private readonly ulong[] starts;
            private readonly ulong[] sizes;
            private readonly IntPtr[] pointers;
        }
    }
}
