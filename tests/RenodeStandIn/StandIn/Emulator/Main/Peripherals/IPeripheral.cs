namespace Antmicro.Renode.Peripherals
{
    public interface IPeripheral : IEmulationElement, IAnalyzable
    {
        void Reset();
    }
}
