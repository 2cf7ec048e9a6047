using System;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals
{
    // IPhysicalMemory over a Renode bus, as seen by one bus master: what the device models use
    // inside Renode. Only memory is reachable (onlyMemory: true): a model can never hit device
    // registers through it, and an access that is not all memory fails as a whole.
    public sealed class SystemBusMemory : RenodeFrameAlloc.Memory.IPhysicalMemory
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
                var data = new byte[destination.Length];
                bus.ReadBytes(address, data.Length, data, 0, true);
                data.CopyTo(destination);
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
                bus.WriteBytes(source.ToArray(), address, true);
                return true;
            }
            catch(RecoverableException)
            {
                return false;
            }
        }

        // Checks both ends; Renode maps RAM in whole memory peripherals, so an access whose ends
        // are memory and that does not wrap is memory throughout unless it spans two of them
        // with a hole between, which the platforms here do not have.
        public bool IsMemory(ulong address, ulong length)
        {
            if(length == 0)
            {
                return true;
            }
            var last = address + length - 1;
            return last >= address && bus.IsMemory(address) && bus.IsMemory(last);
        }

        private readonly IBusController bus;
    }
}
