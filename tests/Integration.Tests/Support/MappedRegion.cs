namespace RenodeFrameAlloc.Integration.Tests
{
    // One address range a peripheral or memory block takes on the system bus: [Start, Start + Size).
    public sealed class MappedRegion
    {
        public MappedRegion(string name, string typeName, ulong start, ulong size, bool isMemory, string source)
        {
            Name = name;
            TypeName = typeName;
            Start = start;
            Size = size;
            IsMemory = isMemory;
            Source = source;
        }

        public string Name { get; }

        public string TypeName { get; }

        public ulong Start { get; }

        public ulong Size { get; }

        // Exclusive end; callers check that it does not wrap.
        public ulong End => Start + Size;

        public bool IsMemory { get; }

        // Where the size came from (the .repl, the plugin class, or Renode's source).
        public string Source { get; }

        public bool Overlaps(MappedRegion other)
        {
            return Start < other.End && other.Start < End;
        }

        public bool Contains(ulong address)
        {
            return address >= Start && address < End;
        }

        public override string ToString()
        {
            return $"{Name} ({TypeName}) [0x{Start:X}, 0x{End:X})";
        }
    }
}
