namespace RenodeFrameAlloc.Devices
{
    // Direction of a device access, as the TLB and the checker see it.
    public enum DmaAccess
    {
        Read = 0,
        Write = 1
    }
}
