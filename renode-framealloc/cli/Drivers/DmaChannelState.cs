namespace RenodeFrameAlloc.Cli.Drivers
{
    // One DMA channel's registers as the driver read them (docs of the scatter-gather engine):
    // STATUS bits BUSY 0, DONE 1, ERROR 2, WAITING_ON_TLB 3, DESC_IRQ 4, IRQ 5.
    public sealed record DmaChannelState(uint Status, uint ErrorCause, ulong BytesDone, uint DescriptorsDone, ulong FaultAddress)
    {
        public bool Busy => (Status & 1) != 0;
        public bool Done => (Status & 2) != 0;
        public bool Failed => (Status & 4) != 0;
        public bool WaitingOnTlb => (Status & 8) != 0;
    }
}
