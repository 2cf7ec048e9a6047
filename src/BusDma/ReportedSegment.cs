namespace RenodeFrameAlloc.BusDma
{
    // One stretch of a map loaded by code the checker does not run (the guest's bus_dma library,
    // reporting through DmaCheckerDevice's registers): where the CPU sees the bytes, where the
    // device reaches them (the same address, a bounce page or an I/O virtual address), how many.
    public readonly struct ReportedSegment
    {
        public ReportedSegment(ulong cpuAddress, ulong busAddress, ulong length)
        {
            CpuAddress = cpuAddress;
            BusAddress = busAddress;
            Length = length;
        }

        public ulong CpuAddress { get; }
        public ulong BusAddress { get; }
        public ulong Length { get; }
    }
}
