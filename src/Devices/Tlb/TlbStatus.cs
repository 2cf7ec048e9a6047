using System;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // STATUS and INTERRUPT_ENABLE bits (docs/software-tlb.md). FaultPending follows the latched
    // fault; the others are sticky until software writes 1 to clear them.
    [Flags]
    public enum TlbStatus : uint
    {
        None = 0,
        FaultPending = 1 << 0,
        // A fault could not be latched: another one was latched and the initiator could not wait,
        // or the queue of stalled requesters was full. The access was dropped.
        Overrun = 1 << 1,
        // A bad command or a bad register value; nothing was changed.
        CommandError = 1 << 2,
        // The TSB entry could not be read (not memory); the miss was reported as a plain miss.
        TsbError = 1 << 3,
        All = FaultPending | Overrun | CommandError | TsbError
    }
}
