using System.Collections.Generic;

namespace Antmicro.Renode.Core
{
    public interface IGPIO
    {
        bool IsSet { get; }

        void Set(bool value);

        void Toggle();

        bool IsConnected { get; }

        void Connect(IGPIOReceiver destination, int destinationNumber);

        void Disconnect();

        void Disconnect(GPIOEndpoint endpoint);

        IList<GPIOEndpoint> Endpoints { get; }
    }
}
