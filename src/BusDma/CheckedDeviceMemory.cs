using System;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.BusDma
{
    // Guest memory as a bus master sees it when the checker watches: every access is checked
    // against the loaded maps before it goes to the underlying memory. Device accesses always
    // reach memory directly: in non-coherent mode, memory holds what the CPU wrote up to its last
    // PREWRITE, and what a device writes stays hidden from the CPU until POSTREAD.
    internal sealed class CheckedDeviceMemory : IPhysicalMemory
    {
        public CheckedDeviceMemory(DmaChecker checker, IPhysicalMemory inner, string device)
        {
            this.checker = checker;
            this.inner = inner;
            this.device = device;
        }

        public bool TryRead(ulong address, Span<byte> destination)
        {
            checker.CheckDeviceAccess(address, (ulong)destination.Length, false, device);
            return inner.TryRead(address, destination);
        }

        public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
        {
            checker.CheckDeviceAccess(address, (ulong)source.Length, true, device);
            return inner.TryWrite(address, source);
        }

        public bool IsMemory(ulong address, ulong length)
        {
            return inner.IsMemory(address, length);
        }

        private readonly DmaChecker checker;
        private readonly IPhysicalMemory inner;
        private readonly string device;
    }
}
