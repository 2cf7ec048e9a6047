namespace Antmicro.Renode.Peripherals.Bus
{
    public interface IBusPeripheral : IPeripheral
    {
    }
}
