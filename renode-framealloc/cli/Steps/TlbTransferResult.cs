using System.Collections.Generic;
using RenodeFrameAlloc.Cli.Drivers;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 4: a copy by the 32-bit engine between two buffers above 4 GiB, through the software
    // TLB. The source is preloaded into the TSB; the destination is refilled by the driver's miss
    // handler from its I/O page table. TSB and page table live in frames borrowed from the
    // allocator through the frame-pool device.
    public sealed record TlbTransferResult : StepResult
    {
        public int Pages { get; init; }
        public ulong Bytes { get; init; }
        public ulong SourceVirtual { get; init; }
        public ulong SourcePhysical { get; init; }
        public ulong DestinationVirtual { get; init; }
        public ulong DestinationPhysical { get; init; }
        public ulong TsbBase { get; init; }
        public int TsbEntries { get; init; }
        public ulong PageTableBase { get; init; }
        public int TlbEntries { get; init; }
        public int Descriptors { get; init; }
        public TlbCounters Counters { get; init; }
        public long InterruptsTaken { get; init; }
        public long MissesHandled { get; init; }
        public long Aborted { get; init; }
        public DmaChannelState Channel { get; init; }
        public bool DestinationMatchesSource { get; init; }
        public long FramesWiredDuringTransfer { get; init; }
        public bool FramesReturned { get; init; }
        public IReadOnlyList<string> CheckerFindings { get; init; }
        public long DeviceAccessesChecked { get; init; }
        public ulong VirtualTimeNanoseconds { get; init; }
    }
}
