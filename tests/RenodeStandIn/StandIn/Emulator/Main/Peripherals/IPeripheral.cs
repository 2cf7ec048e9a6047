using Antmicro.Renode.UserInterface;

namespace Antmicro.Renode.Peripherals
{
    [Icon("box")]
    public interface IPeripheral : IEmulationElement, IAnalyzable
    {
        void Reset();
    }
}
