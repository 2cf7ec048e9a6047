using System;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Time;

namespace Antmicro.Renode.Core
{
    // The members of Renode's IMachine the plugin's adapters use.
    public interface IMachine : IEmulationElement
    {
        // The bus a peripheral sits on (the system bus unless a bus controller was registered for it).
        IBusController GetSystemBus(IBusPeripheral peripheral);

        // Puts peripheral behind controller: its later bus accesses (through GetSystemBus) go to
        // controller. Renode throws RecoverableException when peripheral already has a different
        // controller other than the system bus.
        IBusController RegisterBusController(IBusPeripheral peripheral, IBusController controller);

        bool TryGetBusController(IBusPeripheral peripheral, out IBusController controller);

        // Runs action once after delay of virtual time; the argument is the time at which it was scheduled.
        void ScheduleAction(TimeInterval delay, Action<TimeInterval> action, string name = null);

        IBusController SystemBus { get; }
    }
}
