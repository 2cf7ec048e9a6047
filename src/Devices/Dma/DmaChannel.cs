namespace RenodeFrameAlloc.Devices.Dma
{
    // The state of one channel of a ScatterGatherDmaModel: what its registers show plus where it is in
    // its chain. Plain fields only, so a snapshot captures it as is. The TLB calls it back as the
    // requester that stalled on a miss.
    public sealed class DmaChannel : ITranslationRequester
    {
        internal DmaChannel(ScatterGatherDmaModel engine, int index)
        {
            this.engine = engine;
            Index = index;
        }

        // The TLB refilled the entry this channel missed on: the copy resumes where it stopped.
        public void TranslationResolved()
        {
            engine.OnTranslationResolved(this);
        }

        // Software aborted the stalled transfer at the TLB: the channel stops with TlbAbort, or
        // TlbPermissionFault when the stall was for a permission fault.
        public void TranslationAborted()
        {
            engine.OnTranslationAborted(this);
        }

        public override string ToString()
        {
            return $"channel {Index}: {Phase}, status {Status}, cause {ErrorCause}, {BytesDone} bytes, {DescriptorsDone} descriptors";
        }

        public int Index { get; }

        public DmaChannelPhase Phase { get; internal set; }

        public bool Busy => Phase != DmaChannelPhase.Idle;

        public DmaChannelStatus Status
        {
            get
            {
                var status = LatchedStatus;
                if(Busy)
                {
                    status |= DmaChannelStatus.Busy;
                }
                if(Phase == DmaChannelPhase.WaitingForTranslation)
                {
                    status |= DmaChannelStatus.WaitingOnTlb;
                }
                if(InterruptAsserted)
                {
                    status |= DmaChannelStatus.InterruptAsserted;
                }
                return status;
            }
        }

        // Level of the channel's interrupt line: enabled and DONE, ERROR or DESC_IRQ pending.
        public bool InterruptAsserted => InterruptEnabled
            && (LatchedStatus & (DmaChannelStatus.Done | DmaChannelStatus.Error | DmaChannelStatus.DescriptorInterrupt)) != 0;

        public bool InterruptEnabled { get; internal set; }

        public DmaErrorCause ErrorCause { get; internal set; }

        // Bytes written to destinations since the last START, including a partly copied descriptor.
        public ulong BytesDone { get; internal set; }

        public uint DescriptorsDone { get; internal set; }

        // What software wrote to DESC_PTR: the head of the next chain.
        public ulong DescriptorPointer { get; internal set; }

        // The descriptor being processed, or the last one (the one that failed after an error).
        public ulong CurrentDescriptor { get; internal set; }

        // The address that caused the last error (descriptor, source, destination or translated address).
        public ulong FaultAddress { get; internal set; }

        // DONE, ERROR and DESC_IRQ: set by the engine, cleared by software (write 1) or START.
        internal DmaChannelStatus LatchedStatus { get; set; }

        // The descriptor in progress and how far its copy got.
        internal DmaDescriptor Descriptor { get; set; }

        internal ulong DescriptorOffset { get; set; }

        // Chain bound and cycle detection (Brent): descriptors fetched, the saved address and its window.
        internal int Fetched { get; set; }

        internal ulong Tortoise { get; set; }

        internal int TortoisePower { get; set; }

        internal int TortoiseSteps { get; set; }

        // A wake carrying another ticket is stale (the channel was aborted, reset or restarted since).
        internal ulong WakeTicket { get; set; }

        // Set while the channel is inside IIoTranslator.Translate, so a TLB that answers by calling
        // back at once is not mistaken for a resume of a stall that has not begun.
        internal bool InsideTranslate { get; set; }

        internal bool ResolvedWhileTranslating { get; set; }

        internal bool AbortedWhileTranslating { get; set; }

        // The device-virtual address whose miss the channel waits on.
        internal ulong StalledAddress { get; set; }

        // Whether the stall is for a permission fault (abort then reports TlbPermissionFault).
        internal bool StalledOnPermission { get; set; }

        // A translation failure recorded while a run of translated pieces waits to be copied
        // (ScatterGatherDmaModel.TryCopyTranslatedRuns); None outside that call.
        internal DmaErrorCause DeferredFailure { get; set; }

        internal ulong DeferredFailureAddress { get; set; }

        internal string DeferredFailureDetail { get; set; }

        internal bool ReportedInterrupt { get; set; }

        private readonly ScatterGatherDmaModel engine;
    }
}
