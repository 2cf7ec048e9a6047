using System;

namespace RenodeFrameAlloc.Devices.Memory
{
    // Guest physical memory as the bus_dma layer and the device models see it. In Renode it is
    // backed by the system bus; in tests and the demo by PhysicalRam.
    public interface IPhysicalMemory
    {
        // Reads destination.Length bytes at address. Returns false, reading nothing, when any
        // byte of [address, address + length) is not backed by memory.
        bool TryRead(ulong address, Span<byte> destination);

        // Writes source at address. Returns false, writing nothing, when any byte of the span
        // is not backed by memory.
        bool TryWrite(ulong address, ReadOnlySpan<byte> source);

        // True when every byte of [address, address + length) is backed by memory (not registers, not a hole).
        bool IsMemory(ulong address, ulong length);
    }
}
