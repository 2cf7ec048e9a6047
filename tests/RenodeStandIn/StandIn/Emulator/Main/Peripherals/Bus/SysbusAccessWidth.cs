using System;

namespace Antmicro.Renode.Peripherals.Bus
{
    [Flags]
    public enum SysbusAccessWidth
    {
        Byte = 1,
        Word = 2,
        DoubleWord = 4,
        QuadWord = 8
    }
}
