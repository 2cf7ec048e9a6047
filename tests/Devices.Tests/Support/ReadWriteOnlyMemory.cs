using System;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Hides IBulkPhysicalMemory so the engine takes its bounce-buffer path, as it does over
    // Renode's bus.
    public sealed class ReadWriteOnlyMemory : IPhysicalMemory
    {
        public ReadWriteOnlyMemory(IPhysicalMemory inner)
        {
            this.inner = inner;
        }

        public bool TryRead(ulong address, Span<byte> destination) => inner.TryRead(address, destination);

        public bool TryWrite(ulong address, ReadOnlySpan<byte> source) => inner.TryWrite(address, source);

        public bool IsMemory(ulong address, ulong length) => inner.IsMemory(address, length);

        private readonly IPhysicalMemory inner;
    }
}
