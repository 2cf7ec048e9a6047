using System;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // Only the nested Privilege enum is used (window rights); the window bookkeeping is left out.
    public class ExternalMmuBase : IPeripheral
    {
        public virtual void Reset()
        {
        }

        [Flags]
        public enum Privilege : uint
        {
            None = 0b000,
            Read = 0b001,
            Write = 0b010,
            ReadAndWrite = Read | Write,
            Execute = 0b100,
            All = ReadAndWrite | Execute,
        }
    }
}
