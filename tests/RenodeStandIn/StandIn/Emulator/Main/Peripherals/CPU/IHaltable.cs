namespace Antmicro.Renode.Peripherals.CPU
{
    public interface IHaltable
    {
        bool IsHalted { get; set; }
    }
}
