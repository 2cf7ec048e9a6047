using Antmicro.Renode.Peripherals.CPU;

namespace Antmicro.Renode.Peripherals.Bus
{
    // Declared in Renode's Peripherals/Bus/BusHookHandler.cs (BusHookHandler itself is left out).
    public delegate void BusHookDelegate(ICpuSupportingGdb cpu, ulong address, SysbusAccessWidth access, ulong value);
}
