namespace Antmicro.Renode.Peripherals.Bus
{
    public class BusRegistered<T> : IBusRegistered<T> where T : IBusPeripheral
    {
        public BusRegistered(T what, BusRangeRegistration where)
        {
            Peripheral = what;
            RegistrationPoint = where;
        }

        public T Peripheral { get; private set; }

        public BusRangeRegistration RegistrationPoint { get; private set; }
    }
}
