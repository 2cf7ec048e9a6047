namespace Antmicro.Renode.Peripherals.Bus
{
    public class BusRegistered<T> : IBusRegistered<T> where T : IBusPeripheral
    {
        public BusRegistered(T what, BusRangeRegistration where)
        {
            Peripheral = what;
            RegistrationPoint = where;
        }

        // Renode names the peripheral by its machine path; the stand-in has no names.
        public override string ToString()
        {
            return $"{Peripheral} registered at {RegistrationPoint}";
        }

        public T Peripheral { get; private set; }

        public BusRangeRegistration RegistrationPoint { get; private set; }
    }
}
