namespace RenodeFrameAlloc.BusDma
{
    // A device's view of the bus (bus_dma_tag_t): the limits every mapping made with it obeys.
    // Created by BusDmaLayer.CreateTag, or derived from a parent by narrowing only
    // (BusDmaLayer.DeriveTag, BusDmaLayer.Subregion). Immutable once created.
    public sealed class DmaTag
    {
        internal DmaTag(BusDmaLayer layer, int id, string name, DmaTagLimits limits, DmaTag parent)
        {
            Layer = layer;
            Id = id;
            Name = string.IsNullOrEmpty(name) ? $"tag{id}" : name;
            this.limits = limits;
            Parent = parent;
        }

        public int Id { get; }
        internal BusDmaLayer Layer { get; }
        public string Name { get; }
        public DmaTag Parent { get; }
        // Normalized: Alignment is at least 1; 0 still means "no limit" for Boundary, MaxSegmentSize and MaxSize.
        public DmaTagLimits Limits => limits;
        public ulong Low => limits.Low;
        public ulong High => limits.High;
        public ulong Alignment => limits.Alignment;
        public ulong Boundary => limits.Boundary;
        public ulong MaxSegmentSize => limits.MaxSegmentSize;
        public int MaxSegments => limits.MaxSegments;
        public ulong MaxSize => limits.MaxSize;
        public DmaTagFlags Flags => limits.Flags;
        public bool IsCoherent => (limits.Flags & DmaTagFlags.Coherent) != 0;
        // The pool this tag bounces through; null when no buffer can ever need bouncing
        // (the window covers all memory and any alignment will do).
        public BouncePool BouncePool { get; internal set; }

        public override string ToString()
        {
            return $"tag '{Name}' {limits}";
        }

        // Inputs: limits as a caller gave them. Output: false and a message naming the bad field
        // and its value when they are inconsistent; normalized copy otherwise.
        internal static bool TryNormalize(DmaTagLimits limits, out DmaTagLimits normalized, out string message)
        {
            normalized = limits;
            if(normalized.Alignment == 0)
            {
                normalized.Alignment = 1;
            }
            if(limits.Low >= limits.High)
            {
                message = $"low 0x{limits.Low:X} is not below high 0x{limits.High:X}";
                return false;
            }
            if(!IsPowerOfTwo(normalized.Alignment))
            {
                message = $"alignment 0x{limits.Alignment:X} is not a power of two";
                return false;
            }
            if(limits.Boundary != 0 && !IsPowerOfTwo(limits.Boundary))
            {
                message = $"boundary 0x{limits.Boundary:X} is not a power of two";
                return false;
            }
            if(limits.Boundary != 0 && limits.Boundary < normalized.Alignment)
            {
                // A boundary split would start a segment at a misaligned address.
                message = $"boundary 0x{limits.Boundary:X} is smaller than the alignment 0x{normalized.Alignment:X}";
                return false;
            }
            if(limits.MaxSegmentSize != 0 && limits.MaxSegmentSize % normalized.Alignment != 0)
            {
                // A split at the max segment size would start the next segment misaligned.
                message = $"max segment size 0x{limits.MaxSegmentSize:X} is not a multiple of the alignment 0x{normalized.Alignment:X}";
                return false;
            }
            if(limits.MaxSegments < 1)
            {
                message = $"max segments {limits.MaxSegments} is below 1";
                return false;
            }
            message = string.Empty;
            return true;
        }

        // True when child asks for nothing parent does not allow; otherwise false and a message
        // naming the first widened limit with both values. Both must be normalized.
        internal static bool Narrows(in DmaTagLimits parent, in DmaTagLimits child, out string message)
        {
            if(child.Low < parent.Low || child.High > parent.High)
            {
                message = $"window [0x{child.Low:X}, 0x{child.High:X}) is not inside the parent's [0x{parent.Low:X}, 0x{parent.High:X})";
                return false;
            }
            if(child.Alignment < parent.Alignment)
            {
                message = $"alignment 0x{child.Alignment:X} is looser than the parent's 0x{parent.Alignment:X}";
                return false;
            }
            if(Limit(child.Boundary) > Limit(parent.Boundary))
            {
                message = $"boundary {Describe(child.Boundary)} is larger than the parent's {Describe(parent.Boundary)}";
                return false;
            }
            if(Limit(child.MaxSegmentSize) > Limit(parent.MaxSegmentSize))
            {
                message = $"max segment size {Describe(child.MaxSegmentSize)} is larger than the parent's {Describe(parent.MaxSegmentSize)}";
                return false;
            }
            if(child.MaxSegments > parent.MaxSegments)
            {
                message = $"max segments {child.MaxSegments} is more than the parent's {parent.MaxSegments}";
                return false;
            }
            if(Limit(child.MaxSize) > Limit(parent.MaxSize))
            {
                message = $"max size {Describe(child.MaxSize)} is larger than the parent's {Describe(parent.MaxSize)}";
                return false;
            }
            message = string.Empty;
            return true;
        }

        internal static bool IsPowerOfTwo(ulong value)
        {
            return value != 0 && (value & (value - 1)) == 0;
        }

        // 0 means "no limit" in tags and maps; compare limits as if it were infinity.
        internal static ulong Limit(ulong value)
        {
            return value == 0 ? ulong.MaxValue : value;
        }

        // The tighter of two limits where 0 means none.
        internal static ulong Tighter(ulong a, ulong b)
        {
            return a == 0 ? b : (b == 0 ? a : (a < b ? a : b));
        }

        internal static string Describe(ulong limit)
        {
            return limit == 0 ? "none" : $"0x{limit:X}";
        }

        private readonly DmaTagLimits limits;
    }
}
