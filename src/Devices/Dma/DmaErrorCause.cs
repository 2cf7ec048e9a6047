namespace RenodeFrameAlloc.Devices.Dma
{
    // Why a DMA channel stopped with its ERROR bit set; the value is what the ERROR_CAUSE register
    // reads, so the numbers are part of the guest interface (docs/dma-engine.md).
    public enum DmaErrorCause
    {
        None = 0,
        // A descriptor, source or destination range reaches outside the engine's address window.
        AddressOutsideWindow = 1,
        // The descriptor address is inside the window but not backed by memory.
        DescriptorNotInMemory = 2,
        // The descriptor address is not a multiple of 8.
        DescriptorMisaligned = 3,
        ZeroLength = 4,
        // The chain came back to a descriptor it had already visited.
        ChainLoop = 5,
        // The chain is longer than the engine's bound (MAX_CHAIN) without reaching an end.
        ChainTooLong = 6,
        // A descriptor, source or destination overlaps the engine's own registers.
        RegisterOverlap = 7,
        // A source or destination byte is not backed by memory (a hole or another device's registers).
        DataNotInMemory = 8,
        // Software wrote ABORT while the channel was busy.
        Aborted = 9,
        // The TLB aborted the transfer stalled on a miss (software chose not to refill), or the
        // TLB could not keep the channel waiting.
        TlbAbort = 10,
        // The TLB's entry for the page forbids this access and software aborted the stalled transfer
        // (or the TLB could not keep the channel waiting).
        TlbPermissionFault = 11,
        // A descriptor asks for translation but the engine has no TLB.
        TranslationUnavailable = 12,
        // The model hit an unexpected condition; the channel was stopped rather than the emulation.
        InternalError = 13
    }
}
