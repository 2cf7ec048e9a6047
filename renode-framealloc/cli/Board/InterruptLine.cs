namespace RenodeFrameAlloc.Cli.Board
{
    // One level-triggered interrupt line into the embedded host's CPU, e.g. "dma32.ch0" or "iotlb".
    public sealed class InterruptLine
    {
        public InterruptLine(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public bool Asserted { get; private set; }

        // Rising edges seen since the board was built.
        public long Raised { get; private set; }

        public void Set(bool level)
        {
            if(level && !Asserted)
            {
                Raised++;
            }
            Asserted = level;
        }
    }
}
