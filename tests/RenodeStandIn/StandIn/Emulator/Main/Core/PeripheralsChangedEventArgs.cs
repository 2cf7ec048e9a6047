using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core
{
    // What IMachine.PeripheralsChanged reports. Renode's Create asserts (debug builds) that
    // operation is not Addition: additions come as PeripheralsAddedEventArgs, left out here.
    public class PeripheralsChangedEventArgs
    {
        public static PeripheralsChangedEventArgs Create(IPeripheral peripheral, PeripheralChangeType operation)
        {
            return new PeripheralsChangedEventArgs(peripheral, operation);
        }

        public IPeripheral Peripheral { get; private set; }

        public PeripheralChangeType Operation { get; private set; }

        protected PeripheralsChangedEventArgs(IPeripheral peripheral, PeripheralChangeType operation)
        {
            Peripheral = peripheral;
            Operation = operation;
        }

        public enum PeripheralChangeType
        {
            Addition,
            Removal,
            Moved,
            CompleteRemoval,
            NameChanged
        }
    }
}
