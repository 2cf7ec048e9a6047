using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals.Tests.Memory
{
    // A register-mapped peripheral that only counts what reaches it.
    public sealed class ScratchRegisters : IDoubleWordPeripheral
    {
        public int Accesses { get; private set; }

        public uint ReadDoubleWord(long offset)
        {
            Accesses++;
            return 0;
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            Accesses++;
        }

        public void Reset()
        {
        }
    }
}
