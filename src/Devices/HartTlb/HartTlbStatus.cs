using System;

namespace RenodeFrameAlloc.Devices
{
    // STATUS register bits of the hart TLB (docs/hart-tlb.md).
    [Flags]
    public enum HartTlbStatus : uint
    {
        None = 0,
        // A trap was delivered and its fault block is latched; cleared by the refill (any entry
        // write) or the DISMISS command. Read-only.
        FaultPending = 1u << 0,
        // A register access or command was refused (bad value, unknown offset...). Write 1 to clear.
        CommandError = 1u << 1,
        // A miss or protection fault arrived while FaultPending was set: the handler itself
        // touched a mapped address. Write 1 to clear.
        NestedFault = 1u << 2
    }
}
