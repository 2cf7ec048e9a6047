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

        // Runs action once after delay of virtual time; the argument is the time at which it was scheduled.
        void ScheduleAction(TimeInterval delay, Action<TimeInterval> action, string name = null);

        IBusController SystemBus { get; }
    }
}
