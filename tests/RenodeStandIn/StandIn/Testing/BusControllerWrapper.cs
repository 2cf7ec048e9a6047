using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // What VirtualTimeMachine.GetSystemBus hands a peripheral, as Renode's Machine hands out its
    // private BusControllerWrapper: a BusControllerProxy that validates nothing and whose target
    // RegisterBusController swaps.
    public sealed class BusControllerWrapper : BusControllerProxy
    {
        public BusControllerWrapper(IBusController wrappedController) : base(wrappedController)
        {
        }

        public void ChangeWrapped(IBusController wrappedController)
        {
            ParentController = wrappedController;
        }
    }
}
