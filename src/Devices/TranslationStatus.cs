namespace RenodeFrameAlloc.Devices
{
    public enum TranslationStatus
    {
        Ok = 0,
        // No entry (and no assist entry): latched, interrupt raised; a waiting requester is stalled.
        Miss = 1,
        // An entry matched but does not permit the access.
        PermissionFault = 2,
        // The requester could not wait and the access was dropped, or software aborted the stall.
        Aborted = 3
    }
}
