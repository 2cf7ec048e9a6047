namespace RenodeFrameAlloc.Tests
{
    // The register map as docs/dma-engine.md publishes it. Tests drive the engine through these
    // offsets, as a driver would, so a change to the map breaks them.
    public static class DmaRegisterMap
    {
        public const long Identifier = 0x00;
        public const long Version = 0x04;
        public const long ChannelCount = 0x08;
        public const long MaxChainLength = 0x0C;
        public const long WindowBaseLow = 0x10;
        public const long WindowBaseHigh = 0x14;
        public const long WindowLastLow = 0x18;
        public const long WindowLastHigh = 0x1C;
        public const long InterruptStatus = 0x20;
        public const long BandwidthLow = 0x24;
        public const long BandwidthHigh = 0x28;

        public const long ChannelBase = 0x100;
        public const long ChannelStride = 0x40;

        public const long DescriptorPointerLow = 0x00;
        public const long DescriptorPointerHigh = 0x04;
        public const long Control = 0x08;
        public const long Status = 0x0C;
        public const long ErrorCause = 0x10;
        public const long BytesDoneLow = 0x14;
        public const long BytesDoneHigh = 0x18;
        public const long CurrentDescriptorLow = 0x1C;
        public const long CurrentDescriptorHigh = 0x20;
        public const long DescriptorsDone = 0x24;
        public const long FaultAddressLow = 0x28;
        public const long FaultAddressHigh = 0x2C;

        public const uint ControlStart = 1;
        public const uint ControlAbort = 2;
        public const uint ControlInterruptEnable = 4;

        public const uint StatusBusy = 1;
        public const uint StatusDone = 2;
        public const uint StatusError = 4;
        public const uint StatusWaitingOnTlb = 8;
        public const uint StatusDescriptorInterrupt = 16;
        public const uint StatusInterrupt = 32;

        public static long Channel(int channel, long register)
        {
            return ChannelBase + channel * ChannelStride + register;
        }
    }
}
