namespace RenodeFrameAlloc.Devices.Tlb
{
    // A translation fault as latched for software: the faulting device-virtual address, the
    // initiator, the access and the cause. Stalled tells whether a requester waits for resume or
    // abort (false: the initiator could not wait and its access was dropped).
    public readonly struct TlbFault
    {
        public TlbFault(ulong virtualAddress, int initiatorId, DmaAccess access, TlbFaultCause cause, bool stalled)
        {
            VirtualAddress = virtualAddress;
            InitiatorId = initiatorId;
            Access = access;
            Cause = cause;
            Stalled = stalled;
        }

        // The same fault once its requester is gone (aborted or reset at the device): software then
        // reads STALLED 0, as for a dropped access, and knows RESUME restarts nothing.
        public TlbFault WithoutRequester()
        {
            return new TlbFault(VirtualAddress, InitiatorId, Access, Cause, false);
        }

        public override string ToString()
        {
            var what = Cause == TlbFaultCause.Permission ? "permission fault" : "miss";
            var outcome = Stalled ? "stalled" : "dropped";
            return $"{what} at 0x{VirtualAddress:X} ({Access}) by initiator {InitiatorId}, {outcome}";
        }

        public readonly ulong VirtualAddress;
        public readonly int InitiatorId;
        public readonly DmaAccess Access;
        public readonly TlbFaultCause Cause;
        public readonly bool Stalled;
    }
}
