using System;

namespace Antmicro.Renode.Core
{
    // An emulation, as far as EmulationManager.CurrentEmulation needs one.
    public class Emulation : IDisposable
    {
        public Emulation()
        {
        }

        public void Dispose()
        {
        }
    }
}
