using System;

namespace Antmicro.Renode.Peripherals.Bus
{
    [Flags]
    public enum Access
    {
        Read = 1,
        Write = 2,
        ReadAndWrite = 3
    }
}
