using System;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma
{
    // DMA-safe memory from BusDmaLayer.AllocateDmaMemory (bus_dmamem_alloc): wired, unmapped frames
    // that satisfy the tag. Load it with LoadRaw (or LoadDmaMemory) to hand it to a device;
    // give it back with FreeDmaMemory.
    public sealed class DmaMemory
    {
        internal DmaMemory(DmaTag tag, int id, ulong size, Segment[] segments)
        {
            Tag = tag;
            Id = id;
            Size = size;
            this.segments = segments;
        }

        public int Id { get; }
        public DmaTag Tag { get; }
        // Bytes requested; the segments cover it rounded up to whole pages.
        public ulong Size { get; }
        public ReadOnlySpan<Segment> Segments => segments;
        public bool IsFreed { get; internal set; }

        public override string ToString()
        {
            return $"dma memory #{Id} ({Tag.Name}, 0x{Size:X} bytes: {string.Join(", ", segments)}{(IsFreed ? ", freed" : string.Empty)})";
        }

        private readonly Segment[] segments;
    }
}
