using Antmicro.Renode.Core;

namespace Antmicro.Renode.Peripherals.CPU
{
    // A parameter type (IBusController.IsMemory takes an ICPU context), the base of
    // ICPUWithExternalMmu, and the two members the plugin reads: the hart TLB's fault block names
    // the hart, the DMA checker reports its program counter. The hart TLB's test double implements it.
    public interface ICPU : IPeripheral, IHasOwnLife, IHaltable, IIdentifiable
    {
        uint MultiprocessingId { get; }

        RegisterValue PC { get; set; }
    }
}
