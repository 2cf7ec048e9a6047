using Antmicro.Renode.Core;

namespace Antmicro.Renode.Peripherals.CPU
{
    // Only a parameter type here (IBusController.IsMemory takes an ICPU context). Renode's
    // members are left out: nothing here implements ICPU.
    public interface ICPU : IPeripheral, IHasOwnLife, IHaltable, IIdentifiable
    {
    }
}
