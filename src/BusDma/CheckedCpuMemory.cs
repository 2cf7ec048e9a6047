using System;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.BusDma
{
    // Guest memory as driver code running on the CPU sees it when the checker watches: reads of
    // device-written bytes without POSTREAD are reported, writes are recorded so a device reading
    // them before the next PREWRITE is reported. In non-coherent mode accesses go through the
    // checker's CPU cache model (see CpuCacheModel) instead of straight to memory.
    internal sealed class CheckedCpuMemory : IPhysicalMemory
    {
        public CheckedCpuMemory(DmaChecker checker, IPhysicalMemory inner)
        {
            this.checker = checker;
            this.inner = inner;
        }

        public bool TryRead(ulong address, Span<byte> destination)
        {
            checker.CheckCpuAccess(address, (ulong)destination.Length, false);
            return checker.NonCoherent ? checker.Cache.Read(address, destination) : inner.TryRead(address, destination);
        }

        public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
        {
            checker.CheckCpuAccess(address, (ulong)source.Length, true);
            return checker.NonCoherent ? checker.Cache.Write(address, source) : inner.TryWrite(address, source);
        }

        public bool IsMemory(ulong address, ulong length)
        {
            return inner.IsMemory(address, length);
        }

        private readonly DmaChecker checker;
        private readonly IPhysicalMemory inner;
    }
}
