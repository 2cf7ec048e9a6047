using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure
{
    public interface IConditionalRegistration : IBusRegistration
    {
        string Condition { get; }

        IConditionalRegistration WithInitiatorAndStateMask(IPeripheral initiator, StateMask mask);
    }
}
