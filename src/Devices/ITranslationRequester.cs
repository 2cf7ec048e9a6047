namespace RenodeFrameAlloc.Devices
{
    // A bus master that can stall on a TLB miss (a DMA channel). The TLB keeps the waiting
    // requester and calls it back when software has refilled the entry or aborted the transfer.
    public interface ITranslationRequester
    {
        void TranslationResolved();

        void TranslationAborted();
    }
}
