namespace RenodeFrameAlloc.Devices.Memory
{
    // Guest memory that can copy within itself without a bounce through the caller: lets a DMA
    // model move a large block with one copy instead of a read into a buffer and a write back.
    // Optional: models check for it and fall back to TryRead/TryWrite.
    public interface IBulkPhysicalMemory : IPhysicalMemory
    {
        // Copies length bytes from source to destination as memmove would (overlap allowed).
        // Returns false, writing nothing, when either range is not all backed by memory.
        bool TryCopy(ulong source, ulong destination, ulong length);

        // IsMemory without a trace: a memory that reports queries (a watched bus view reports a
        // no as a refused access) reports nothing here. For a model that looks ahead at a range it
        // will access anyway, so the access itself is what gets reported.
        bool IsMemoryUnreported(ulong address, ulong length) => IsMemory(address, length);
    }
}
