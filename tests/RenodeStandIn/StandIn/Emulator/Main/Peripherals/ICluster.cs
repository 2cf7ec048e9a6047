using System.Collections.Generic;

namespace Antmicro.Renode.Peripherals
{
    public interface ICluster<out T> : IPeripheral, IEnumerable<T>
    {
        IEnumerable<ICluster<T>> Clusters { get; }

        IEnumerable<T> Clustered { get; }
    }
}
