using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core
{
    public interface IGPIOReceiver : IPeripheral
    {
        void OnGPIO(int number, bool value);
    }
}
