using Antmicro.Renode.Peripherals.Bus;

namespace Antmicro.Renode.Peripherals
{
    public interface IKnownSize : IBusPeripheral
    {
        long Size { get; }
    }
}
