namespace RenodeFrameAlloc.Devices.Tlb
{
    // Why a translation reached software. Values are the FAULT_INFO.CAUSE field (docs/software-tlb.md).
    public enum TlbFaultCause
    {
        None = 0,
        // No TLB entry (and no matching TSB entry) translates the address for that initiator.
        Miss = 1,
        // An entry translates the address but does not allow the access (read or write).
        Permission = 2
    }
}
