namespace RenodeFrameAlloc.BusDma
{
    // One stretch of a loaded map that is contiguous both where the CPU sees the data (the
    // caller's buffer) and where the device reaches it (the same address, or a bounce page).
    // MapOffset is the stretch's offset within the mapping, as syncs name it.
    internal readonly struct DmaPiece
    {
        public DmaPiece(ulong mapOffset, ulong cpuAddress, ulong busAddress, ulong length, bool bounced)
        {
            MapOffset = mapOffset;
            CpuAddress = cpuAddress;
            BusAddress = busAddress;
            Length = length;
            Bounced = bounced;
        }

        public ulong MapOffset { get; }
        public ulong CpuAddress { get; }
        public ulong BusAddress { get; }
        public ulong Length { get; }
        public bool Bounced { get; }
        public ulong MapEnd => MapOffset + Length;
    }
}
