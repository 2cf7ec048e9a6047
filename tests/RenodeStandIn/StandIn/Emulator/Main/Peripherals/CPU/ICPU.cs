using Antmicro.Renode.Core;

namespace Antmicro.Renode.Peripherals.CPU
{
    // A parameter type (IBusController.IsMemory takes an ICPU context) and the base of
    // ICPUWithExternalMmu. Only the member the plugin reads is kept: the hart TLB's test double
    // implements it.
    public interface ICPU : IPeripheral, IHasOwnLife, IHaltable, IIdentifiable
    {
        uint MultiprocessingId { get; }
    }
}
