using System;
using Antmicro.Migrant;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals
{
    // IPhysicalMemory over a Renode bus, as seen by one bus master: what the device models use
    // inside Renode. Only memory is reachable (onlyMemory: true): a model can never hit device
    // registers through it, and an access that is not all memory (a register or a gap in the
    // way) fails as a whole.
    public sealed class SystemBusMemory : RenodeFrameAlloc.Devices.Memory.IPhysicalMemory
    {
        public SystemBusMemory(IBusController bus)
        {
            this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
        }

        public bool TryRead(ulong address, Span<byte> destination)
        {
            if(!IsMemory(address, (ulong)destination.Length))
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

        public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
        {
            if(!IsMemory(address, (ulong)source.Length))
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

        // Memory throughout, walked one registration at a time: Renode's onlyMemory accesses fail
        // on a register-mapped peripheral but skip unmapped gaps silently (reads leave zeros,
        // writes vanish), so a gap is found here. Through a proxy the walk goes page by page: a
        // proxy may translate (the TLB's does), and then its WhatIsAt answers in another space.
        // Renode's Machine.GetSystemBus always hands out a proxy (its own wrapper, which may
        // point at a translating one), so inside Renode the walk is always page by page.
        public bool IsMemory(ulong address, ulong length)
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

        // Renode's bulk accesses take arrays: one kept for all of them (a DMA engine moves a
        // descriptor in pieces of the same size), instead of one or two per access.
        private byte[] Buffer(int length)
        {
            if(buffer == null || buffer.Length < length)
            {
                buffer = new byte[length];
            }
            return buffer;
        }

        private const ulong WalkStep = 0x1000;

        private readonly IBusController bus;
        // A cache, not state: a snapshot leaves it out.
        [Transient]
        private byte[] buffer;
    }
}
