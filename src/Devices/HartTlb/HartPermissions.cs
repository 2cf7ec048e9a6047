using System;

namespace RenodeFrameAlloc.Devices
{
    // Rights of a hart TLB entry or of a hart MMU window. The values are those of Renode's
    // ExternalMmuBase.Privilege (and tlib's PAGE_READ/WRITE/EXEC), so the adapter casts.
    [Flags]
    public enum HartPermissions
    {
        None = 0,
        Read = 1,
        Write = 2,
        Execute = 4,
        All = Read | Write | Execute
    }
}
