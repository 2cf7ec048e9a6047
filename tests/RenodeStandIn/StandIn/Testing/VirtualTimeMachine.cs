using System;
using System.Collections.Generic;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
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

        public IBusController GetSystemBus(IBusPeripheral peripheral)
        {
            return peripheral != null && busOverrides.TryGetValue(peripheral, out var bus) ? bus : SystemBus;
        }

        // Puts peripheral behind another bus controller, as Renode's RegisterBusController does.
        public void SetBusFor(IBusPeripheral peripheral, IBusController controller)
        {
            busOverrides[peripheral] = controller;
        }

        // As Renode's: refuses (RecoverableException) to replace a controller other than the
        // system bus with a different one. Renode returns a wrapper whose target it swaps, so a
        // peripheral that fetched its bus earlier follows; here peripherals must ask GetSystemBus
        // again after the registration.
        public IBusController RegisterBusController(IBusPeripheral peripheral, IBusController controller)
        {
            if(busOverrides.TryGetValue(peripheral, out var existing) && existing != SystemBus && existing != controller)
            {
                throw new RecoverableException($"Trying to change the BusController from {existing} to {controller} for the {peripheral} peripheral.");
            }
            busOverrides[peripheral] = controller;
            return controller;
        }

        public bool TryGetBusController(IBusPeripheral peripheral, out IBusController controller)
        {
            return busOverrides.TryGetValue(peripheral, out controller);
        }

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

        private long nextSequence;
        private readonly List<Scheduled> pending = new List<Scheduled>();
        private readonly Dictionary<IBusPeripheral, IBusController> busOverrides = new Dictionary<IBusPeripheral, IBusController>();

        private readonly record struct Scheduled(TimeInterval Due, TimeInterval ScheduledAt, long Sequence, Action<TimeInterval> Action);
    }
}
