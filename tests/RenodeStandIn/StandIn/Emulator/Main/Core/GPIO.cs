using System;

namespace Antmicro.Renode.Core
{
    // A level-triggered line: Set forwards only changes to the connected receiver, as Renode's does.
    public sealed class GPIO : IGPIO
    {
        public GPIO()
        {
            sync = new object();
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
                target?.OnGPIO(targetNumber, state);
            }
        }

        public void Toggle()
        {
            lock(sync)
            {
                Set(!state);
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
                target = destination;
                targetNumber = destinationNumber;
                target.OnGPIO(destinationNumber, state);
            }
        }

        public void Disconnect()
        {
            lock(sync)
            {
                target = null;
                targetNumber = 0;
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
                    return target != null;
                }
            }
        }

        public GPIOEndpoint Endpoint
        {
            get
            {
                lock(sync)
                {
                    return target == null ? null : new GPIOEndpoint(target, targetNumber);
                }
            }
        }

        private IGPIOReceiver target;
        private int targetNumber;
        private bool state;
        private readonly object sync;
    }
}
