using System.Collections.Generic;
using Antmicro.Renode.Peripherals.CPU;

namespace Antmicro.Renode.Peripherals.Bus
{
    // The members of Renode's IBusController (2025 signatures: IPeripheral context) the plugin uses.
    // Renode's interface also extends the peripheral-container and registration interfaces; the
    // stand-in leaves those out.
    public interface IBusController : IPeripheral
    {
        byte ReadByte(ulong address, IPeripheral context = null, ulong? cpuState = null);

        void WriteByte(ulong address, byte value, IPeripheral context = null, ulong? cpuState = null);

        ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null);

        void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null);

        uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null);

        void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null);

        ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null);

        void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null);

        // With onlyMemory, Renode throws RecoverableException before touching anything when part of the
        // range is not memory.
        void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null);

        byte[] ReadBytes(ulong address, int count, bool onlyMemory = false, IPeripheral context = null);

        void WriteBytes(byte[] bytes, ulong address, bool onlyMemory = false, IPeripheral context = null);

        void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null);

        void WriteBytes(byte[] bytes, ulong address, long count, bool onlyMemory = false, IPeripheral context = null);

        IBusRegistered<IBusPeripheral> WhatIsAt(ulong address, IPeripheral context = null);

        IPeripheral WhatPeripheralIsAt(ulong address, IPeripheral context = null);

        IEnumerable<IBusRegistered<IBusPeripheral>> GetRegisteredPeripherals(IPeripheral context = null);

        // True when a memory peripheral (IMemory) is registered at address.
        bool IsMemory(ulong address, ICPU context = null);
    }
}
