using System.Collections.Generic;

namespace RenodeFrameAlloc.Cli.Steps
{
    // One engine's copy of the buffer through bus_dma: where the engine was pointed, whether the
    // loads bounced, the layer's counters for this copy, and whether the bytes arrived.
    public sealed record EngineCopy
    {
        public string Engine { get; init; }
        public string Window { get; init; }
        public string Error { get; init; }
        public int Descriptors { get; init; }
        public ulong LowestBusAddress { get; init; }
        public ulong HighestBusAddress { get; init; }
        public bool SourceBounced { get; init; }
        public bool DestinationBounced { get; init; }
        public long Loads { get; init; }
        public long BouncedLoads { get; init; }
        public int BouncePagesInUse { get; init; }
        public long BytesCopiedByBounce { get; init; }
        public ulong BytesDone { get; init; }
        public uint ErrorCause { get; init; }
        public bool DestinationMatchesSource { get; init; }
        public IReadOnlyList<string> Findings { get; init; }
    }
}
