using System;
using System.Linq;
using Antmicro.Renode.Peripherals.DMA;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;

namespace RenodeFrameAlloc.Peripherals.Tests.Snapshots
{
    // One snapshot policy for every adapter: state in plain fields; Renode-bound helpers (the bus
    // views, delegates) [Transient] and rebuilt in one [LatePostDeserialization] hook. An early
    // [PostDeserialization] hook would run before Renode restored the machine's bus controllers.
    public class SnapshotPolicyTests
    {
        [TestCase(typeof(ScatterGatherDma))]
        [TestCase(typeof(SoftwareManagedTlb))]
        [TestCase(typeof(FramePoolDevice))]
        public void EveryAdapterRebuildsItsBusViewInOneLateHook(Type adapter)
        {
            Assert.That(() => SimulatedSnapshotLoad.LateHook(adapter), Throws.Nothing, "exactly one [LatePostDeserialization] hook");
            Assert.That(SimulatedSnapshotLoad.EarlyHooks(adapter), Is.Empty);
            var renodeBound = SimulatedSnapshotLoad.InstanceFields(adapter)
                .Where(f => typeof(Delegate).IsAssignableFrom(f.FieldType) || f.FieldType == typeof(SystemBusMemory));
            Assert.That(renodeBound.Except(SimulatedSnapshotLoad.TransientFields(adapter)).Select(f => f.Name), Is.Empty);
        }
    }
}
