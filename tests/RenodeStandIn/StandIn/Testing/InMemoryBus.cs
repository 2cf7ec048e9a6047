using System;
using System.Collections.Generic;
using System.Linq;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using RenodeFrameAlloc.BusDma.Memory;

using Range = Antmicro.Renode.Core.Range;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // Test-only IBusController: RAM from a PhysicalRam plus register-mapped peripherals, routed
    // the way Renode's SystemBus (renode-infrastructure 0c7d076) routes them:
    // - a single access goes to the peripheral's method of that width; a peripheral without one
    //   (here: any width but double word, Renode's [AllowedTranslations] are not modelled) logs
    //   "Attempted <width> read/write isn't supported by the peripheral" and reads 0; an access
    //   where nothing is mapped logs "Read<width> from non existing peripheral" and reads 0;
    // - a bulk access is split at registrations: RAM is copied in one piece, a peripheral gets one
    //   ReadByte/WriteByte per byte, an unmapped gap is skipped with a warning (the destination
    //   keeps what it had, writes vanish). With onlyMemory, a peripheral anywhere in the range
    //   fails the whole access with RecoverableException before anything is touched; gaps do not;
    // - the *WithState accesses need an initiator that implements IPeripheralWithTransactionState
    //   (they log a warning and read 0 / drop the write otherwise);
    // - WhatIsAt answers for RAM too (a RamBlock stretch, where Renode has its MappedMemory).
    public sealed class InMemoryBus : IBusController
    {
        public InMemoryBus(PhysicalRam ram)
        {
            this.ram = ram;
        }

        // Maps peripheral at registration.Range, as `@ sysbus <base, +size>` does.
        public void Register(IBusPeripheral peripheral, BusRangeRegistration registration)
        {
            foreach(var existing in registrations)
            {
                if(existing.RegistrationPoint.Range.Intersects(registration.Range))
                {
                    throw new RecoverableException($"{registration.Range} overlaps {existing.RegistrationPoint.Range}");
                }
            }
            registrations.Add(new BusRegistered<IBusPeripheral>(peripheral, registration));
        }

        public void Reset()
        {
            foreach(var registered in registrations)
            {
                registered.Peripheral.Reset();
            }
        }

        public DelayedInvalidationContext EnterDelayedInvalidationContext()
        {
            return new DelayedInvalidationContext(this);
        }

        public void SetDelayedInvalidation(bool value)
        {
            delayedInvalidation = value;
        }

        public byte ReadByte(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            return (byte)ReadSingle(address, SysbusAccessWidth.Byte);
        }

        public byte ReadByteWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            return TryConvertForRead(address, SysbusAccessWidth.Byte, context, stateObj, out var state) ? ReadByte(address, context, state) : (byte)0;
        }

        public void WriteByte(ulong address, byte value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteSingle(address, value, SysbusAccessWidth.Byte);
        }

        public void WriteByteWithState(ulong address, byte value, IPeripheral context, IContextState stateObj)
        {
            if(TryConvertForWrite(address, value, SysbusAccessWidth.Byte, context, stateObj, out var state))
            {
                WriteByte(address, value, context, state);
            }
        }

        public ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            return (ushort)ReadSingle(address, SysbusAccessWidth.Word);
        }

        public ushort ReadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            return TryConvertForRead(address, SysbusAccessWidth.Word, context, stateObj, out var state) ? ReadWord(address, context, state) : (ushort)0;
        }

        public void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteSingle(address, value, SysbusAccessWidth.Word);
        }

        public void WriteWordWithState(ulong address, ushort value, IPeripheral context, IContextState stateObj)
        {
            if(TryConvertForWrite(address, value, SysbusAccessWidth.Word, context, stateObj, out var state))
            {
                WriteWord(address, value, context, state);
            }
        }

        public uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            return (uint)ReadSingle(address, SysbusAccessWidth.DoubleWord);
        }

        public uint ReadDoubleWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            return TryConvertForRead(address, SysbusAccessWidth.DoubleWord, context, stateObj, out var state) ? ReadDoubleWord(address, context, state) : 0u;
        }

        public void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteSingle(address, value, SysbusAccessWidth.DoubleWord);
        }

        public void WriteDoubleWordWithState(ulong address, uint value, IPeripheral context, IContextState stateObj)
        {
            if(TryConvertForWrite(address, value, SysbusAccessWidth.DoubleWord, context, stateObj, out var state))
            {
                WriteDoubleWord(address, value, context, state);
            }
        }

        public ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            return ReadSingle(address, SysbusAccessWidth.QuadWord);
        }

        public ulong ReadQuadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            return TryConvertForRead(address, SysbusAccessWidth.QuadWord, context, stateObj, out var state) ? ReadQuadWord(address, context, state) : 0UL;
        }

        public void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteSingle(address, value, SysbusAccessWidth.QuadWord);
        }

        public void WriteQuadWordWithState(ulong address, ulong value, IPeripheral context, IContextState stateObj)
        {
            if(TryConvertForWrite(address, value, SysbusAccessWidth.QuadWord, context, stateObj, out var state))
            {
                WriteQuadWord(address, value, context, state);
            }
        }

        public void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            var targets = FindTargets(address, checked((ulong)count));
            if(onlyMemory)
            {
                ThrowIfNotAllMemory(targets);
            }
            foreach(var target in targets)
            {
                if(target.What.Peripheral is RamBlock)
                {
                    ram.TryRead(target.Address, destination.AsSpan(startIndex + (int)target.SourceIndex, (int)target.Length));
                    continue;
                }
                for(var i = 0UL; i < target.Length; i++)
                {
                    destination[(ulong)startIndex + target.SourceIndex + i] = ReadByte(target.Address + i, context, cpuState);
                }
            }
        }

        public byte[] ReadBytes(ulong address, int count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            var result = new byte[count];
            ReadBytes(address, count, result, 0, onlyMemory, context, cpuState);
            return result;
        }

        public byte[] ReadBytes(long offset, int count, IPeripheral context = null)
        {
            return ReadBytes((ulong)offset, count, context: context);
        }

        // Renode searches every memory registration; this double does not list its RAM regions.
        public ulong[] FindBytes(byte[] pattern, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null)
        {
            throw new NotSupportedException("InMemoryBus does not search memory");
        }

        public ulong[] FindBytes(string hexString, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null)
        {
            throw new NotSupportedException("InMemoryBus does not search memory");
        }

        public void WriteBytes(byte[] bytes, ulong address, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(bytes, address, bytes.Length, onlyMemory, context, cpuState);
        }

        public void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            var targets = FindTargets(address, checked((ulong)count));
            if(onlyMemory)
            {
                ThrowIfNotAllMemory(targets);
            }
            foreach(var target in targets)
            {
                if(target.What.Peripheral is RamBlock)
                {
                    ram.TryWrite(target.Address, bytes.AsSpan(startingIndex + (int)target.SourceIndex, (int)target.Length));
                    continue;
                }
                for(var i = 0UL; i < target.Length; i++)
                {
                    WriteByte(target.Address + i, bytes[target.SourceIndex + (ulong)startingIndex + i], context, cpuState);
                }
            }
        }

        public void WriteBytes(byte[] bytes, ulong address, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(bytes, address, 0, count, onlyMemory, context, cpuState);
        }

        public void WriteBytes(long offset, byte[] array, int startingIndex, int count, IPeripheral context = null)
        {
            WriteBytes(array, (ulong)offset, startingIndex, count, context: context);
        }

        public void ZeroRange(Range range, IPeripheral context = null)
        {
            var zeroBlock = new byte[Math.Min(range.Size, ZeroBlockSize)];
            for(var done = 0UL; done < range.Size; done += (ulong)zeroBlock.Length)
            {
                WriteBytes(zeroBlock, range.StartAddress + done, 0, (long)Math.Min((ulong)zeroBlock.Length, range.Size - done), context: context);
            }
        }

        public bool TryConvertStateToUlongForContext(IPeripheral context, IContextState stateObj, out ulong? state)
        {
            state = null;
            if(!(context is IPeripheralWithTransactionState peripheralWithTransactionState)
                || !peripheralWithTransactionState.TryConvertStateObjToUlong(stateObj, out state))
            {
                return false;
            }
            return true;
        }

        public IBusRegistered<IBusPeripheral> WhatIsAt(ulong address, IPeripheral context = null)
        {
            return FindRegistration(address) ?? FindRam(address);
        }

        public IPeripheral WhatPeripheralIsAt(ulong address, IPeripheral context = null, ulong? initiatorState = null)
        {
            return WhatIsAt(address, context)?.Peripheral;
        }

        public IEnumerable<IBusRegistered<IBusPeripheral>> GetRegisteredPeripherals(IPeripheral context = null)
        {
            return registrations.ToList();
        }

        // No CPUs on this bus.
        // The CPU whose thread runs now; tests set it to play a hart's access (null: none, as on
        // the monitor's thread).
        public ICPU CurrentCpu { get; set; }

        public bool TryGetCurrentCPU(out ICPU cpu)
        {
            cpu = CurrentCpu;
            return cpu != null;
        }

        // Watchpoints as Renode's SystemBus keeps them: by exact address, for reads, writes or
        // both. Nothing fires them by itself: tests play a hart's access with CpuAccess.
        public void AddWatchpointHook(ulong address, SysbusAccessWidth width, Access access, BusHookDelegate hook)
        {
            if(!watchpoints.TryGetValue(address, out var list))
            {
                list = new List<(Access, BusHookDelegate)>();
                watchpoints.Add(address, list);
            }
            list.Add((access, hook));
        }

        public void RemoveWatchpointHook(ulong address, BusHookDelegate hook)
        {
            if(watchpoints.TryGetValue(address, out var list))
            {
                list.RemoveAll(entry => entry.Item2 == hook);
                if(list.Count == 0)
                {
                    watchpoints.Remove(address);
                }
            }
        }

        public int WatchpointCount => watchpoints.Values.Sum(list => list.Count);

        // A hart's (CurrentCpu's) load or store of width at address: the watchpoints at exactly that
        // address run, as Renode runs them for a CPU access to a watched page; and, when the hart
        // takes the page through the bus (a MappedCpu's IoPages), the access hooks of the
        // peripheral there run with its offset, the hart as the transaction initiator. On any
        // other page the hart reaches RAM directly and no hook sees it, as in Renode.
        public void CpuAccess(ulong address, SysbusAccessWidth width, bool write)
        {
            if(watchpoints.TryGetValue(address, out var list))
            {
                foreach(var (access, hook) in list.ToArray())
                {
                    if((access & (write ? Access.Write : Access.Read)) != 0)
                    {
                        hook(null, address, width, 0);
                    }
                }
            }
            if(!(CurrentCpu is MappedCpu cpu) || !cpu.IoPages.Contains(address & ~0xFFFUL))
            {
                return;
            }
            var registered = WhatIsAt(address);
            var type = width switch
            {
                SysbusAccessWidth.Byte => typeof(byte),
                SysbusAccessWidth.Word => typeof(ushort),
                SysbusAccessWidth.DoubleWord => typeof(uint),
                _ => typeof(ulong)
            };
            if(registered == null || !peripheralHooks.TryGetValue((registered.Peripheral, type, write), out var peripheralHook))
            {
                return;
            }
            var offset = (long)(address - registered.RegistrationPoint.Range.StartAddress);
            transactionInitiator = cpu;
            try
            {
                var value = Activator.CreateInstance(type);
                peripheralHook.DynamicInvoke(value, offset);
            }
            finally
            {
                transactionInitiator = null;
            }
        }

        private readonly Dictionary<ulong, List<(Access, BusHookDelegate)>> watchpoints = new Dictionary<ulong, List<(Access, BusHookDelegate)>>();

        // The current CPU, if any (Renode lists every CPU on the bus).
        public IEnumerable<ICPU> GetCPUs()
        {
            return CurrentCpu != null ? new[] { CurrentCpu } : Enumerable.Empty<ICPU>();
        }

        // The initiator of the access in progress: the hart during CpuAccess, as Renode's
        // SystemBus answers inside a CPU's bus access.
        public bool TryGetTransactionInitiator(out IPeripheral initiator)
        {
            initiator = transactionInitiator;
            return initiator != null;
        }

        // One hook per peripheral, width and direction, as Renode keeps them; null removes it.
        // The subrange is not modelled.
        public void SetHookAfterPeripheralRead<T>(IBusPeripheral peripheral, Func<T, long, T> hook, Range? subrange = null)
        {
            SetPeripheralHook(peripheral, typeof(T), false, hook);
        }

        public void SetHookBeforePeripheralWrite<T>(IBusPeripheral peripheral, Func<T, long, T> hook, Range? subrange = null)
        {
            SetPeripheralHook(peripheral, typeof(T), true, hook);
        }

        public int PeripheralHookCount => peripheralHooks.Count;

        private void SetPeripheralHook(IBusPeripheral peripheral, Type width, bool write, Delegate hook)
        {
            var key = (peripheral, width, write);
            if(hook == null)
            {
                peripheralHooks.Remove(key);
            }
            else
            {
                peripheralHooks[key] = hook;
            }
        }

        private readonly Dictionary<(IBusPeripheral, Type, bool), Delegate> peripheralHooks = new Dictionary<(IBusPeripheral, Type, bool), Delegate>();
        private IPeripheral transactionInitiator;

        public bool IsMemory(ulong address, ICPU context = null, ulong? initiatorState = null)
        {
            return FindRegistration(address) == null && ram.IsMemory(address, 1);
        }

        // Whether the last EnterDelayedInvalidationContext is still open (Renode defers
        // translation-cache invalidation meanwhile; nothing here caches).
        public bool DelayedInvalidation => delayedInvalidation;

        private ulong ReadSingle(ulong address, SysbusAccessWidth width)
        {
            var registered = FindRegistration(address);
            if(registered != null)
            {
                var offset = checked((long)(address - registered.RegistrationPoint.Range.StartAddress + registered.RegistrationPoint.Offset));
                if(width == SysbusAccessWidth.DoubleWord && registered.Peripheral is IDoubleWordPeripheral dw)
                {
                    return dw.ReadDoubleWord(offset);
                }
                registered.Peripheral.Log(LogLevel.Warning, "Attempted {0} read isn't supported by the peripheral. Offset 0x{1:X}.", width, offset);
                return 0;
            }
            if(IsMemory(address))
            {
                var bytes = new byte[(int)width];
                ram.TryRead(address, bytes);
                return ToValue(bytes);
            }
            this.Log(LogLevel.Warning, "Read{1} from non existing peripheral at 0x{0:X}.", address, width);
            return 0;
        }

        private void WriteSingle(ulong address, ulong value, SysbusAccessWidth width)
        {
            var registered = FindRegistration(address);
            if(registered != null)
            {
                var offset = checked((long)(address - registered.RegistrationPoint.Range.StartAddress + registered.RegistrationPoint.Offset));
                if(width == SysbusAccessWidth.DoubleWord && registered.Peripheral is IDoubleWordPeripheral dw)
                {
                    dw.WriteDoubleWord(offset, (uint)value);
                    return;
                }
                registered.Peripheral.Log(LogLevel.Warning, "Attempted {0} write isn't supported by the peripheral. Offset 0x{1:X}, value 0x{2:X}.", width, offset, value);
                return;
            }
            if(IsMemory(address))
            {
                var bytes = new byte[(int)width];
                for(var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)(value >> (8 * i));
                }
                ram.TryWrite(address, bytes);
                return;
            }
            this.Log(LogLevel.Warning, "Write{2} to non existing peripheral at 0x{0:X}, value 0x{1:X}.", address, value, width);
        }

        private bool TryConvertForRead(ulong address, SysbusAccessWidth width, IPeripheral context, IContextState stateObj, out ulong? state)
        {
            if(TryConvertStateToUlongForContext(context, stateObj, out state))
            {
                return true;
            }
            this.Log(LogLevel.Warning, "Tried to read {0} bytes at 0x{1:X} but failed on context state conversion, returning 0", (uint)width, address);
            return false;
        }

        private bool TryConvertForWrite(ulong address, ulong value, SysbusAccessWidth width, IPeripheral context, IContextState stateObj, out ulong? state)
        {
            if(TryConvertStateToUlongForContext(context, stateObj, out state))
            {
                return true;
            }
            this.Log(LogLevel.Warning, "Tried to write {0} bytes (0x{1:X}) at 0x{2:X} but failed on context state conversion, write ignored", (uint)width, value, address);
            return false;
        }

        // As Renode's SystemBus.FindTargets: the registrations the range crosses, in order; a gap
        // is logged and left out.
        private List<BusTarget> FindTargets(ulong address, ulong count)
        {
            var result = new List<BusTarget>();
            var done = 0UL;
            while(done < count)
            {
                var position = address + done;
                var what = WhatIsAt(position);
                if(what == null)
                {
                    var gapStart = position;
                    while(done < count && WhatIsAt(address + done) == null)
                    {
                        done++;
                    }
                    this.Log(LogLevel.Warning, "Tried to access bytes at non-existing peripheral in range {0}.", new Range(gapStart, address + done - gapStart));
                    continue;
                }
                var length = Math.Min(count - done, what.RegistrationPoint.Range.EndAddress - position + 1);
                result.Add(new BusTarget(what, done, length, position));
                done += length;
            }
            return result;
        }

        private static void ThrowIfNotAllMemory(IEnumerable<BusTarget> targets)
        {
            foreach(var target in targets)
            {
                if(!(target.What.Peripheral is RamBlock))
                {
                    throw new RecoverableException(string.Format("Tried to access {0} but only memory accesses were allowed.", target.What.Peripheral));
                }
            }
        }

        private static ulong ToValue(byte[] bytes)
        {
            var value = 0UL;
            for(var i = bytes.Length - 1; i >= 0; i--)
            {
                value = (value << 8) | bytes[i];
            }
            return value;
        }

        private IBusRegistered<IBusPeripheral> FindRam(ulong address)
        {
            if(!ram.TryGetRegion(address, out var regionBase, out var regionSize))
            {
                return null;
            }
            var start = regionBase;
            var end = regionBase + regionSize - 1;
            foreach(var registered in registrations)
            {
                var range = registered.RegistrationPoint.Range;
                if(range.StartAddress > address)
                {
                    end = Math.Min(end, range.StartAddress - 1);
                }
                else if(range.EndAddress < address)
                {
                    start = Math.Max(start, range.EndAddress + 1);
                }
            }
            return new BusRegistered<IBusPeripheral>(ramBlock, new BusRangeRegistration(start, end - start + 1));
        }

        private IBusRegistered<IBusPeripheral> FindRegistration(ulong address)
        {
            foreach(var registered in registrations)
            {
                if(registered.RegistrationPoint.Range.Contains(address))
                {
                    return registered;
                }
            }
            return null;
        }

        private bool delayedInvalidation;

        private readonly PhysicalRam ram;
        private readonly RamBlock ramBlock = new RamBlock();
        private readonly List<IBusRegistered<IBusPeripheral>> registrations = new List<IBusRegistered<IBusPeripheral>>();

        private const ulong ZeroBlockSize = 1024 * 1024;
    }
}
