using System;

namespace Antmicro.Renode.Core
{
    // One host-memory segment of a mapped peripheral (Renode's MappedMemory hands these out): Touch
    // allocates it if needed, Pointer is its host address, StartingOffset its offset in the
    // peripheral. Renode's IMappedSegmentExtensions (GetRange), declared in the same file, is left out.
    public interface IMappedSegment
    {
        IntPtr Pointer { get; }

        ulong StartingOffset { get; }

        ulong Size { get; }

        void Touch();
    }
}
