using System;
using System.Collections.Generic;
using System.Threading;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Time;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // Test-only IMachine: a system bus plus a virtual clock that moves only when the test calls
    // AdvanceTime, running scheduled actions in due-time order (ties in scheduling order).
    public sealed class VirtualTimeMachine : IMachine
    {
        public VirtualTimeMachine(IBusController systemBus)
        {
            SystemBus = systemBus;
        }

        // As Renode's Machine: the first call registers a wrapper around the system bus for
        // peripheral; later calls return that wrapper, which follows RegisterBusController.
        public IBusController GetSystemBus(IBusPeripheral peripheral)
        {
            if(!TryGetBusController(peripheral, out var controller))
            {
                controller = RegisterBusController(peripheral, SystemBus);
            }
            return controller;
        }

        // As Renode's Machine: puts peripheral behind controller through the peripheral's one
        // wrapper (a BusControllerProxy), so a peripheral that fetched its bus earlier follows;
        // refuses (RecoverableException) to replace a controller other than the system bus with a
        // different one.
        public IBusController RegisterBusController(IBusPeripheral peripheral, IBusController controller)
        {
            if(!busControllers.TryGetValue(peripheral, out var wrapper))
            {
                wrapper = new BusControllerWrapper(controller);
                busControllers.Add(peripheral, wrapper);
            }
            else
            {
                if(wrapper.ParentController != SystemBus && wrapper.ParentController != controller)
                {
                    throw new RecoverableException($"Trying to change the BusController from {wrapper.ParentController} to {controller} for the {peripheral} peripheral.");
                }
                wrapper.ChangeWrapped(controller);
            }
            return wrapper;
        }

        public bool TryGetBusController(IBusPeripheral peripheral, out IBusController controller)
        {
            var exists = busControllers.TryGetValue(peripheral, out var wrapper);
            controller = wrapper;
            return exists;
        }

        // Names given with SetLocalName (a .repl's names, for tests).
        public bool TryGetLocalName(IPeripheral peripheral, out string name)
        {
            return names.TryGetValue(peripheral, out name);
        }

        public void SetLocalName(IPeripheral peripheral, string name)
        {
            names[peripheral] = name;
        }

        // Counts the requests (tests check that a peripheral asked); there is no emulation to pause.
        public void PauseAndRequestEmulationPause(bool precise = false)
        {
            PauseRequests++;
        }

        public int PauseRequests { get; private set; }

        public void ScheduleAction(TimeInterval delay, Action<TimeInterval> action, string name = null)
        {
            pending.Add(new Scheduled(Now + delay, Now, nextSequence++, action));
        }

        // Moves the clock forward by span, running every action that falls due on the way, including
        // actions those actions schedule. Returns how many ran.
        public int AdvanceTime(TimeInterval span)
        {
            var end = Now + span;
            var ran = 0;
            while(TryTakeNextDue(end, out var next))
            {
                Now = next.Due;
                next.Action(next.ScheduledAt);
                ran++;
            }
            Now = end;
            return ran;
        }

        public int PendingActions => pending.Count;

        public TimeInterval Now { get; private set; }

        public IBusController SystemBus { get; }

        // Tests register on the bus directly and announce a change, as Renode's Machine does after
        // a registration (Addition) or an unregistration (CompleteRemoval), with AnnounceChange.
        public event Action<IMachine, PeripheralsChangedEventArgs> PeripheralsChanged;

        public void AnnounceChange(IPeripheral peripheral, PeripheralsChangedEventArgs.PeripheralChangeType operation)
        {
            PeripheralsChanged?.Invoke(this, PeripheralsChangedEventArgs.Create(peripheral, operation));
        }

        public int UniqueObjectId { get; } = Interlocked.Increment(ref lastUniqueObjectId);

        public bool IsHalted { get; set; }

        private bool TryTakeNextDue(TimeInterval end, out Scheduled next)
        {
            var best = -1;
            for(var i = 0; i < pending.Count; i++)
            {
                if(pending[i].Due <= end && (best < 0 || pending[i].Due < pending[best].Due
                    || (pending[i].Due == pending[best].Due && pending[i].Sequence < pending[best].Sequence)))
                {
                    best = i;
                }
            }
            if(best < 0)
            {
                next = default;
                return false;
            }
            next = pending[best];
            pending.RemoveAt(best);
            return true;
        }

        private static int lastUniqueObjectId;

        private long nextSequence;
        private readonly Dictionary<IPeripheral, string> names = new Dictionary<IPeripheral, string>();
        private readonly List<Scheduled> pending = new List<Scheduled>();
        private readonly Dictionary<IBusPeripheral, BusControllerWrapper> busControllers = new Dictionary<IBusPeripheral, BusControllerWrapper>();

        private readonly record struct Scheduled(TimeInterval Due, TimeInterval ScheduledAt, long Sequence, Action<TimeInterval> Action);
    }
}
