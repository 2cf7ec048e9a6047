namespace RenodeFrameAlloc.Devices
{
    // Device-virtual to physical translation, implemented by the software-managed TLB.
    public interface IIoTranslator
    {
        // Translates virtualAddress for an access by initiatorId. On Ok, physicalAddress is the
        // translation and bytesInPage how many bytes from there stay inside the same mapped page,
        // so callers split longer accesses. On Miss or PermissionFault the fault is latched and the
        // interrupt raised; a non-null waiter is stalled and later called back; a null waiter
        // cannot wait, so its access is dropped (the result is then Aborted or PermissionFault).
        TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
            out ulong physicalAddress, out ulong bytesInPage);

        // waiter no longer waits (its transfer was aborted or its device reset): it is never called
        // back, and a later miss of it stalls afresh. A fault already latched for software stays
        // latched until software acknowledges it.
        void Cancel(ITranslationRequester waiter);
    }
}
