using System.Collections.Generic;
using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core
{
    // A .repl wires output N with `N -> plic@M`.
    public interface INumberedGPIOOutput : IPeripheral
    {
        IReadOnlyDictionary<int, IGPIO> Connections { get; }
    }
}
