using System.Collections.Generic;
using Antmicro.Renode.Peripherals.CPU;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // A hart for InMemoryBus: a settable PC, and the pages it takes through the bus
    // (SetPageAccessViaIo) where InMemoryBus.CpuAccess runs the RAM's access hooks, as Renode's
    // CPU does for a page routed through the system bus. A TranslationCPU, as Renode's harts are
    // (its MaximumBlockSize is what StopOnFinding changes).
    public sealed class MappedCpu : TranslationCPU, ICPUWithMappedMemory
    {
        public RegisterValue PC { get; set; }
        public uint MultiprocessingId => 0;
        public bool IsHalted { get; set; }
        public bool IsPaused => false;
        public int UniqueObjectId => 1;

        // Page addresses (4 KiB) taken through the bus.
        public ISet<ulong> IoPages { get; } = new HashSet<ulong>();

        public void SetPageAccessViaIo(ulong address)
        {
            IoPages.Add(address & ~0xFFFUL);
        }

        public void ClearPageAccessViaIo(ulong address)
        {
            IoPages.Remove(address & ~0xFFFUL);
        }

        public void Reset()
        {
        }

        public void Start()
        {
        }

        public void Pause()
        {
        }

        public void Resume()
        {
        }
    }
}
