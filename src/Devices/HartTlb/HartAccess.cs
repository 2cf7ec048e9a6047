namespace RenodeFrameAlloc.Devices
{
    // The kind of hart access that missed or faulted (FAULT_INFO.ACCESS encodes these values).
    public enum HartAccess
    {
        Read = 0,
        Write = 1,
        Execute = 2
    }
}
