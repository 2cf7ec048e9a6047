namespace RenodeFrameAlloc.BusDma
{
    // A point-in-time copy of the layer's counters.
    public sealed class BusDmaStatistics
    {
        // Successful loads (plain and raw), and how many of them use bounce pages.
        public long Loads { get; init; }
        public long BouncedLoads { get; init; }
        public long FailedLoads { get; init; }
        public long Unloads { get; init; }
        public long Syncs { get; init; }
        // Bytes copied between buffers and bounce pages by syncs.
        public long BytesCopied { get; init; }
        public int BouncePools { get; init; }
        // Bounce pages held by all pools, and those of them backing a loaded map now.
        public int BouncePages { get; init; }
        public int BouncePagesInUse { get; init; }
        public int Maps { get; init; }
        public int LoadedMaps { get; init; }
        public int DmaMemoryAllocations { get; init; }
        public ulong DmaMemoryBytes { get; init; }
        public long Findings { get; init; }

        public override string ToString()
        {
            return $"loads {Loads} (bounced {BouncedLoads}, failed {FailedLoads}), unloads {Unloads}, syncs {Syncs}, bytes copied {BytesCopied}, "
                + $"bounce pages {BouncePagesInUse}/{BouncePages} in {BouncePools} pools, maps {LoadedMaps}/{Maps} loaded, "
                + $"dma memory {DmaMemoryAllocations} (0x{DmaMemoryBytes:X} bytes), findings {Findings}";
        }
    }
}
