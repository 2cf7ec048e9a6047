using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // What InMemoryBus.WhatIsAt answers for RAM, where Renode answers with its MappedMemory.
    public sealed class RamBlock : IBusPeripheral
    {
        public void Reset()
        {
        }
    }
}
