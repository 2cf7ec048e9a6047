using System;
using RenodeFrameAlloc.Devices.Registers;

namespace RenodeFrameAlloc.Peripherals
{
    // The one exception boundary of the Renode adapters. An exception escaping a peripheral stops
    // the emulation, so every Renode entry point of an adapter (register access, reset, scheduled
    // callback, translation, proxied bus access, snapshot hook) calls its model inside try/catch
    // and hands what it caught here; the models themselves do not catch their own exceptions.
    // The catch also answers the access neutrally (a read returns 0, a translation Aborted).
    public static class EntryPointBoundary
    {
        // A register read for adapter: the value, or 0 after containing what the registers threw.
        public static uint Read(IModelAdapter adapter, IRegisterFile registers, long offset)
        {
            try
            {
                return registers.Read(offset);
            }
            catch(Exception e)
            {
                Contain(adapter, $"read of offset 0x{offset:X}", e);
                return 0;
            }
        }

        // A register write for adapter, containing what the registers threw.
        public static void Write(IModelAdapter adapter, IRegisterFile registers, long offset, uint value)
        {
            try
            {
                registers.Write(offset, value);
            }
            catch(Exception e)
            {
                Contain(adapter, $"write of 0x{value:X} to offset 0x{offset:X}", e);
            }
        }

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
