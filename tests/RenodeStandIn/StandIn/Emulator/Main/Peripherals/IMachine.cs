using System;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using Antmicro.Renode.Time;

namespace Antmicro.Renode.Core
{
    // The members of Renode's IMachine the plugin's adapters use (Renode keeps the file under
    // Peripherals/, the namespace is Core). Left out: the rest (nothing in the plugin implements
    // IMachine).
    public interface IMachine : IEmulationElement, IIdentifiable, IHaltable
    {
        // The bus a peripheral sits on: Renode's Machine answers with its own wrapper (a
        // BusControllerProxy) around the system bus, or around the controller given to
        // RegisterBusController for it.
        IBusController GetSystemBus(IBusPeripheral peripheral);

        // Puts peripheral behind controller, through the same wrapper GetSystemBus returns (so a
        // peripheral that fetched its bus earlier follows). Renode throws RecoverableException when
        // peripheral already has a controller other than the system bus and a different one.
        IBusController RegisterBusController(IBusPeripheral peripheral, IBusController controller);

        // Runs action once after delay of virtual time; the argument is the time at which it was scheduled.
        void ScheduleAction(TimeInterval delay, Action<TimeInterval> action, string name = null);

        bool TryGetBusController(IBusPeripheral peripheral, out IBusController controller);

        bool TryGetLocalName(IPeripheral peripheral, out string name);

        void PauseAndRequestEmulationPause(bool precise = false);

        IBusController SystemBus { get; }

        // Renode raises it when a peripheral is added, moved, removed or renamed.
        event Action<IMachine, PeripheralsChangedEventArgs> PeripheralsChanged;
    }
}
