using System.Collections.Generic;

using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals.Bus;

namespace Antmicro.Renode.Peripherals
{
    // A peripheral backed by host memory segments the CPUs map directly (Renode's MappedMemory).
    public interface IMapped : IBusPeripheral
    {
        IEnumerable<IMappedSegment> MappedSegments { get; }
    }
}
