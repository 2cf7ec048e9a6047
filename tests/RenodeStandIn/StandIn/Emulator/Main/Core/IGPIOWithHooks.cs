using System;

namespace Antmicro.Renode.Core
{
    public interface IGPIOWithHooks : IGPIO
    {
        void AddStateChangedHook(Action<bool> hook);

        void RemoveStateChangedHook(Action<bool> hook);
    }
}
