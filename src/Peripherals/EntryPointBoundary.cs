using System;

namespace RenodeFrameAlloc.Peripherals
{
    // The one exception boundary of the Renode adapters. An exception escaping a peripheral stops
    // the emulation, so every Renode entry point of an adapter (register access, reset, scheduled
    // callback, translation, proxied bus access, snapshot hook) calls its model inside try/catch
    // and hands what it caught here; the models themselves do not catch their own exceptions.
    // The catch also answers the access neutrally (a read returns 0, a translation Aborted).
    public static class EntryPointBoundary
    {
        // Logs error at error level through the adapter, naming entryPoint, then applies the
        // device's reaction for channel (-1: none). Never throws.
        public static void Contain(IModelAdapter adapter, string entryPoint, Exception error, int channel = -1)
        {
            try
            {
                adapter.LogInternalError($"Internal error during {entryPoint}: {error}");
            }
            catch(Exception)
            {
                // Logging failed too: nothing more can be done without risking the emulation.
            }
            try
            {
                adapter.ReactToInternalError(channel);
            }
            catch(Exception inner)
            {
                try
                {
                    adapter.LogInternalError($"Could not react to the internal error during {entryPoint}: {inner.Message}");
                }
                catch(Exception)
                {
                    // As above.
                }
            }
        }
    }
}
