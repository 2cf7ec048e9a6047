using System.Collections.Generic;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma
{
    // A DMA handle (bus_dmamap_t): created for a tag with its own, possibly tighter, limits; loaded
    // with one buffer at a time. While loaded, Segments is what the device is programmed with.
    // Created and changed only through BusDmaLayer.
    public sealed class DmaMap
    {
        internal DmaMap(DmaTag tag, int id, ulong maxSize, int maxSegments, ulong maxSegmentSize, ulong boundary)
        {
            Tag = tag;
            Id = id;
            MaxSize = maxSize;
            MaxSegments = maxSegments;
            MaxSegmentSize = maxSegmentSize;
            Boundary = boundary;
            segments = new List<Segment>();
            pieces = new List<DmaPiece>();
            bouncePages = new List<ulong>();
        }

        public int Id { get; }
        public DmaTag Tag { get; }
        // Effective limits: the map's own, tightened by the tag's (0 = no limit for the sizes and the boundary).
        public ulong MaxSize { get; }
        public int MaxSegments { get; }
        public ulong MaxSegmentSize { get; }
        public ulong Boundary { get; }

        public bool IsLoaded { get; internal set; }
        public bool IsDestroyed { get; internal set; }
        // Bytes loaded (bus_dma's dm_mapsize); 0 when not loaded.
        public ulong MapSize { get; internal set; }
        public DmaDirection Direction { get; internal set; }
        // Valid while loaded: ascending in load order, coalesced where the limits allow.
        public IReadOnlyList<Segment> Segments => segments;
        public bool IsBounced => bouncePages.Count > 0;
        public int BouncePageCount => bouncePages.Count;

        // The bus address the device must use for byte `offset` of the mapping, or false when the
        // map is not loaded or offset is beyond MapSize.
        public bool TryGetBusAddress(ulong offset, out ulong busAddress)
        {
            foreach(var piece in pieces)
            {
                if(offset >= piece.MapOffset && offset < piece.MapEnd)
                {
                    busAddress = piece.BusAddress + (offset - piece.MapOffset);
                    return true;
                }
            }
            busAddress = 0;
            return false;
        }

        public override string ToString()
        {
            var state = IsDestroyed ? "destroyed" : IsLoaded ? $"loaded 0x{MapSize:X} bytes in {segments.Count} segments" + (IsBounced ? $", {bouncePages.Count} bounce pages" : string.Empty) : "unloaded";
            return $"map #{Id} ({Tag.Name}, {state})";
        }

        internal readonly List<Segment> segments;
        internal readonly List<DmaPiece> pieces;
        internal readonly List<ulong> bouncePages;
        // The checker's record of what was synced, written and read while loaded; null without a checker.
        internal MapCheckState checkState;
    }
}
