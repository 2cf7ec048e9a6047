using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // One registration a bulk access of InMemoryBus crosses (Renode's PeripheralLookupResult):
    // bytes [SourceIndex, SourceIndex + Length) of the access land at bus address Address.
    public sealed class BusTarget
    {
        public BusTarget(IBusRegistered<IBusPeripheral> what, ulong sourceIndex, ulong length, ulong address)
        {
            What = what;
            SourceIndex = sourceIndex;
            Length = length;
            Address = address;
        }

        public IBusRegistered<IBusPeripheral> What { get; }

        public ulong SourceIndex { get; }

        public ulong Length { get; }

        public ulong Address { get; }
    }
}
