using System;

namespace RenodeFrameAlloc.Frames
{
    // The constraints of uvm_pglistalloc(9), in bytes:
    // every frame lies in [Low, High); the first segment starts at a multiple of Alignment;
    // no segment crosses a multiple of Boundary (0 = no boundary); at most MaxSegments segments
    // (1 = physically contiguous), none longer than MaxSegmentSize (0 = no limit).
    // PreferredRange names the list to try first (null = policy order).
    public struct AllocationConstraints
    {
        public ulong Low;
        public ulong High;
        public ulong Alignment;
        public ulong Boundary;
        public int MaxSegments;
        public ulong MaxSegmentSize;
        public string PreferredRange;

        // Anywhere, page aligned, physically contiguous.
        public static AllocationConstraints Contiguous => new AllocationConstraints
        {
            Low = 0,
            High = ulong.MaxValue,
            Alignment = 0,
            Boundary = 0,
            MaxSegments = 1,
            MaxSegmentSize = 0,
            PreferredRange = null
        };

        // Anywhere, any number of segments.
        public static AllocationConstraints Scattered => new AllocationConstraints
        {
            Low = 0,
            High = ulong.MaxValue,
            Alignment = 0,
            Boundary = 0,
            MaxSegments = int.MaxValue,
            MaxSegmentSize = 0,
            PreferredRange = null
        };

        public static AllocationConstraints Window(ulong low, ulong high, int maxSegments = 1)
        {
            var c = Contiguous;
            c.Low = low;
            c.High = high;
            c.MaxSegments = maxSegments;
            return c;
        }

        public override string ToString()
        {
            return $"window [0x{Low:X}, 0x{High:X}) align 0x{Alignment:X} boundary 0x{Boundary:X} segments {MaxSegments} maxseg 0x{MaxSegmentSize:X}"
                + (PreferredRange == null ? string.Empty : $" prefer {PreferredRange}");
        }
    }
}
