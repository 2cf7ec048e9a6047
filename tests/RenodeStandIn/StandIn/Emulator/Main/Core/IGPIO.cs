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

        GPIOEndpoint Endpoint { get; }
    }
}
