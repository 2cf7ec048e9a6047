using System.Collections.Generic;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Sizes of the Renode peripherals the platform uses, as their IKnownSize.Size returns them in
    // renode/renode-infrastructure (the file each comes from is named). Memory.MappedMemory takes
    // its size from the .repl's `size:` attribute instead; CPUs register without an address.
    public static class StockPeripherals
    {
        public static bool TryGetSize(string typeName, out ulong size)
        {
            return sizes.TryGetValue(typeName, out size);
        }

        public static bool RegistersWithoutAddress(string typeName)
        {
            return typeName == "CPU.RiscV64" || typeName == "CPU.RiscV32";
        }

        private static readonly Dictionary<string, ulong> sizes = new Dictionary<string, ulong>
        {
            // src/Emulator/Cores/RiscV/CoreLevelInterruptor.cs: Size => 0x10000
            { "IRQControllers.CoreLevelInterruptor", 0x10000 },
            // src/Emulator/Cores/RiscV/PlatformLevelInterruptController.cs: Size => 0x4000000
            { "IRQControllers.PlatformLevelInterruptController", 0x4000000 },
            // src/Emulator/Peripherals/Peripherals/UART/NS16550.cs: Size => 0x100
            { "UART.NS16550", 0x100 },
            // src/Emulator/Peripherals/Peripherals/DMA/MPFS_PDMA.cs: Size => 0x4000
            { "DMA.MPFS_PDMA", 0x4000 },
        };
    }
}
