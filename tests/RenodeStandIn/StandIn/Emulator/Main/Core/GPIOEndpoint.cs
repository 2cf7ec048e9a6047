namespace Antmicro.Renode.Core
{
    public sealed class GPIOEndpoint
    {
        public GPIOEndpoint(IGPIOReceiver receiver, int number)
        {
            Receiver = receiver;
            Number = number;
        }

        public IGPIOReceiver Receiver { get; private set; }

        public int Number { get; private set; }
    }
}
