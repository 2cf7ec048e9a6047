using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure
{
    public interface IRegistered<out TPeripheral, TRegistrationPoint>
        where TPeripheral : IPeripheral where TRegistrationPoint : IRegistrationPoint
    {
        TPeripheral Peripheral { get; }

        TRegistrationPoint RegistrationPoint { get; }
    }
}
