namespace Antmicro.Renode.Peripherals
{
    public interface IAnalyzable : IEmulationElement
    {
    }
}
