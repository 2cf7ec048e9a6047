namespace Antmicro.Renode.Peripherals.CPU
{
    // Only a parameter type here (IBusController.IsMemory takes an ICPU context); no member is used.
    public interface ICPU : IPeripheral
    {
    }
}
