namespace RenodeFrameAlloc.BusDma
{
    // What a device can reach, in bus addresses and bytes:
    // every byte it touches lies in [Low, High); every segment starts at a multiple of Alignment
    // (0 or 1 = any byte); no segment crosses a multiple of Boundary (0 = none); no segment is
    // longer than MaxSegmentSize (0 = no limit); one mapping has at most MaxSegments segments and
    // at most MaxSize bytes (0 = no limit).
    public struct DmaTagLimits
    {
        public ulong Low;
        public ulong High;
        public ulong Alignment;
        public ulong Boundary;
        public ulong MaxSegmentSize;
        public int MaxSegments;
        public ulong MaxSize;
        public DmaTagFlags Flags;

        // The whole bus, any alignment, any number of segments of any length.
        public static DmaTagLimits Unrestricted => new DmaTagLimits
        {
            Low = 0,
            High = ulong.MaxValue,
            Alignment = 1,
            Boundary = 0,
            MaxSegmentSize = 0,
            MaxSegments = int.MaxValue,
            MaxSize = 0,
            Flags = DmaTagFlags.None
        };

        // A device that reaches only [low, high), otherwise unrestricted.
        public static DmaTagLimits Window(ulong low, ulong high)
        {
            var limits = Unrestricted;
            limits.Low = low;
            limits.High = high;
            return limits;
        }

        public override string ToString()
        {
            return $"window [0x{Low:X}, 0x{High:X}) align 0x{Alignment:X} boundary 0x{Boundary:X} maxseg 0x{MaxSegmentSize:X}"
                + $" segments {(MaxSegments == int.MaxValue ? "any" : MaxSegments.ToString())} maxsize 0x{MaxSize:X} flags {Flags}";
        }
    }
}
