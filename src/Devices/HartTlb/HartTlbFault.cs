namespace RenodeFrameAlloc.Devices
{
    // The fault block software reads in its handler, as MIPS's BadVAddr/EntryHi: the faulting
    // virtual address, the access, the cause and the hart (its Renode multiprocessing id).
    public readonly struct HartTlbFault
    {
        public HartTlbFault(ulong virtualAddress, HartAccess access, HartFaultCause cause, uint hartId)
        {
            VirtualAddress = virtualAddress;
            Access = access;
            Cause = cause;
            HartId = hartId;
        }

        public ulong VirtualAddress { get; }

        public HartAccess Access { get; }

        public HartFaultCause Cause { get; }

        public uint HartId { get; }

        public override string ToString()
        {
            return $"{Cause} on {Access} of 0x{VirtualAddress:X} (hart {HartId})";
        }
    }
}
