namespace RenodeFrameAlloc.Devices
{
    // Why a hart access trapped: no entry translates it (Miss), or one does but forbids the
    // access (Protection, MIPS's TLB Modified / TLB Invalid on a read-only page).
    public enum HartFaultCause
    {
        Miss = 0,
        Protection = 1
    }
}
