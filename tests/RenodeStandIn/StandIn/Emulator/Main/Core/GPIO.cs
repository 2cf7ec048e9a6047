using System;
using System.Collections.Generic;
using System.Linq;
using Antmicro.Renode.Utilities;

namespace Antmicro.Renode.Core
{
    // A level-triggered line, as Renode's: Set forwards only changes, to every connected endpoint,
    // then to the state-changed hooks; Connect adds an endpoint (once) and tells it the current
    // level. Renode also checks the destination's input count ([GPIO] attribute); not here.
    [Convertible]
    public sealed class GPIO : IGPIOWithHooks
    {
        public GPIO()
        {
            sync = new object();
            targets = new List<GPIOEndpoint>();
            stateChangedHook = delegate { };
        }

        public void AddStateChangedHook(Action<bool> hook)
        {
            stateChangedHook += hook;
        }

        public void RemoveStateChangedHook(Action<bool> hook)
        {
            stateChangedHook -= hook;
        }

        public void RemoveAllStateChangedHooks()
        {
            stateChangedHook = delegate { };
        }

        public void Set(bool value)
        {
            lock(sync)
            {
                if(state == value)
                {
                    return;
                }
                state = value;
                for(var i = 0; i < targets.Count; ++i)
                {
                    targets[i].Receiver.OnGPIO(targets[i].Number, state);
                }
                stateChangedHook(value);
            }
        }

        public void Toggle()
        {
            lock(sync)
            {
                Set(!IsSet);
            }
        }

        public void Connect(IGPIOReceiver destination, int destinationNumber)
        {
            if(destination == null)
            {
                throw new ArgumentNullException(nameof(destination));
            }
            lock(sync)
            {
                if(!targets.Any(x => x.Receiver == destination && x.Number == destinationNumber))
                {
                    targets.Add(new GPIOEndpoint(destination, destinationNumber));
                    destination.OnGPIO(destinationNumber, state);
                }
            }
        }

        public void Disconnect()
        {
            lock(sync)
            {
                targets.Clear();
            }
        }

        public void Disconnect(GPIOEndpoint endpoint)
        {
            lock(sync)
            {
                targets.Remove(endpoint);
            }
        }

        public override string ToString()
        {
            return IsSet ? "GPIO: set" : "GPIO: unset";
        }

        public bool IsSet
        {
            get
            {
                lock(sync)
                {
                    return state;
                }
            }
        }

        public bool IsConnected
        {
            get
            {
                lock(sync)
                {
                    return targets.Count > 0;
                }
            }
        }

        public IList<GPIOEndpoint> Endpoints
        {
            get
            {
                lock(sync)
                {
                    return targets;
                }
            }
        }

        private bool state;
        private Action<bool> stateChangedHook;
        private readonly object sync;
        private readonly IList<GPIOEndpoint> targets;
    }
}
