using Antmicro.Renode.Core;

namespace Antmicro.Renode.Peripherals.CPU
{
    // A parameter type (IBusController.IsMemory takes an ICPU context) and the program counter
    // the DMA checker reports with its findings. Renode's other members are left out: nothing
    // here implements ICPU.
    public interface ICPU : IPeripheral, IHasOwnLife, IHaltable, IIdentifiable
    {
        RegisterValue PC { get; set; }
    }
}
