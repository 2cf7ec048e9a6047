using System;
using System.Collections.Generic;
using Antmicro.Renode.Peripherals.CPU;

using Range = Antmicro.Renode.Core.Range;

namespace Antmicro.Renode.Peripherals.Bus
{
    // Renode's IBusController, with the signatures of renode-infrastructure 0c7d076: every bus
    // access, the *WithState variants, the bulk accesses, FindBytes, ZeroRange and the address
    // decoding queries. Left out (nothing in the plugin implements this interface): the
    // peripheral-container and registration base interfaces, ICanLoadFiles, and the members about
    // CPUs, transaction state, local contexts, symbols, hooks, locking, tags, memory mapping and
    // file loading.
    public interface IBusController : IPeripheral, IMultibyteWritePeripheral, IHasDelayedInvalidationContext
    {
        byte ReadByte(ulong address, IPeripheral context = null, ulong? cpuState = null);

        byte ReadByteWithState(ulong address, IPeripheral context, IContextState stateObj);

        void WriteByte(ulong address, byte value, IPeripheral context = null, ulong? cpuState = null);

        void WriteByteWithState(ulong address, byte value, IPeripheral context, IContextState stateObj);

        ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null);

        ushort ReadWordWithState(ulong address, IPeripheral context, IContextState stateObj);

        void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null);

        void WriteWordWithState(ulong address, ushort value, IPeripheral context, IContextState stateObj);

        uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null);

        uint ReadDoubleWordWithState(ulong address, IPeripheral context, IContextState stateObj);

        void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null);

        void WriteDoubleWordWithState(ulong address, uint value, IPeripheral context, IContextState stateObj);

        ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null);

        ulong ReadQuadWordWithState(ulong address, IPeripheral context, IContextState stateObj);

        void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null);

        void WriteQuadWordWithState(ulong address, ulong value, IPeripheral context, IContextState stateObj);

        // With onlyMemory, Renode's SystemBus throws RecoverableException before touching anything
        // when a peripheral other than memory is in the range; unmapped gaps are skipped (reads
        // leave the destination as it was, writes are dropped) with a warning.
        void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null);

        byte[] ReadBytes(ulong address, int count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null);

        ulong[] FindBytes(byte[] pattern, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null);

        ulong[] FindBytes(string hexString, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null);

        void WriteBytes(byte[] bytes, ulong address, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null);

        void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null);

        void WriteBytes(byte[] bytes, ulong address, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null);

        void ZeroRange(Range range, IPeripheral context = null);

        bool TryConvertStateToUlongForContext(IPeripheral context, IContextState stateObj, out ulong? state);

        IBusRegistered<IBusPeripheral> WhatIsAt(ulong address, IPeripheral context = null);

        IPeripheral WhatPeripheralIsAt(ulong address, IPeripheral context = null, ulong? initiatorState = null);

        IEnumerable<IBusRegistered<IBusPeripheral>> GetRegisteredPeripherals(IPeripheral context = null);

        IEnumerable<ICPU> GetCPUs();

        bool TryGetCurrentCPU(out ICPU cpu);

        void AddWatchpointHook(ulong address, SysbusAccessWidth width, Access access, BusHookDelegate hook);

        void RemoveWatchpointHook(ulong address, BusHookDelegate hook);

        bool TryGetTransactionInitiator(out IPeripheral initiator);

        void SetHookAfterPeripheralRead<T>(IBusPeripheral peripheral, Func<T, long, T> hook, Range? subrange = null);

        void SetHookBeforePeripheralWrite<T>(IBusPeripheral peripheral, Func<T, long, T> hook, Range? subrange = null);

        // True when a memory peripheral (IMemory) is registered at address.
        bool IsMemory(ulong address, ICPU context = null, ulong? initiatorState = null);
    }
}
