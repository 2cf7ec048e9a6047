using System.Collections.Generic;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // What one copy through bus_dma did: the segments the engine was programmed with, the channel
    // at the end, the bytes the CPU then read from the destination, the layer's counters before
    // and after (and while the maps were loaded), and the checker's findings made meanwhile.
    public sealed record CopyOutcome
    {
        public string Error { get; init; }
        public IReadOnlyList<Segment> SourceBusSegments { get; init; }
        public IReadOnlyList<Segment> DestinationBusSegments { get; init; }
        public bool SourceBounced { get; init; }
        public bool DestinationBounced { get; init; }
        public int Descriptors { get; init; }
        public DmaChannelState Channel { get; init; }
        public byte[] DestinationBytes { get; init; }
        public BusDmaStatistics Before { get; init; }
        public BusDmaStatistics Loaded { get; init; }
        public BusDmaStatistics After { get; init; }
        public IReadOnlyList<DmaFinding> Findings { get; init; }
    }
}
