namespace RenodeFrameAlloc.BusDma
{
    // One misuse the checker saw, as data (for tests and tools) and as a log line (ToString).
    public sealed class DmaFinding
    {
        internal DmaFinding(long sequence, DmaFindingKind kind, DmaOperation operation, DmaSyncOperation syncOperation,
            DmaMap map, ulong address, ulong length, string device, string message, ulong? programCounter = null)
        {
            ProgramCounter = programCounter;
            Sequence = sequence;
            Kind = kind;
            Operation = operation;
            SyncOperation = syncOperation;
            Map = map;
            MapId = map?.Id ?? -1;
            Address = address;
            Length = length;
            Device = device;
            Message = message ?? string.Empty;
        }

        // 1 for the checker's first finding, counting on across ClearFindings.
        public long Sequence { get; }
        public DmaFindingKind Kind { get; }
        public DmaOperation Operation { get; }
        // The sync's operations when Operation is Sync, otherwise None.
        public DmaSyncOperation SyncOperation { get; }
        // The map concerned, or null (an unmapped access, leaked DMA memory).
        public DmaMap Map { get; }
        public int MapId { get; }
        // A bus address for device accesses and segments, a CPU address for CPU accesses and DMA
        // memory, a map offset for syncs.
        public ulong Address { get; }
        public ulong Length { get; }
        // The device view's name for device accesses, otherwise null.
        public string Device { get; }
        public string Message { get; }
        // The program counter of the hart running when the finding was made, where the checker's
        // host knows it (in Renode: the CPU on whose thread the access happened); otherwise null.
        public ulong? ProgramCounter { get; }

        public override string ToString()
        {
            var where = Map == null ? string.Empty : $" map #{MapId} ({Map.Tag.Name})";
            var who = Device == null ? string.Empty : $" by {Device}";
            var what = Operation == DmaOperation.Sync ? $"Sync {SyncOperation}" : Operation.ToString();
            var pc = ProgramCounter.HasValue ? $" (PC 0x{ProgramCounter.Value:X})" : string.Empty;
            return $"DMA checker: {Kind}{where} at 0x{Address:X}+0x{Length:X} during {what}{who}{pc}: {Message}";
        }
    }
}
