using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.CPU;

namespace Antmicro.Renode.Core.Structure
{
    // A registration with an address on the bus (as opposed to a numbered or null one).
    public interface IBusRegistration : IRegistrationPoint
    {
        IPeripheral Initiator { get; }

        StateMask? StateMask { get; }

        ICluster<ICPU> Cluster { get; }

        ulong Offset { get; }

        ulong StartingPoint { get; }
    }
}
