using System;
using System.Collections.Generic;
using Antmicro.Renode.Peripherals.CPU;

using Range = Antmicro.Renode.Core.Range;

namespace Antmicro.Renode.Peripherals.Bus
{
    // Renode's base for bus controllers between an initiator and its parent bus (Renode's Machine
    // also wraps every peripheral's bus in one). Every member forwards to ParentController. As in
    // Renode: byte, word and double-word accesses (also *WithState) and the main bulk overloads
    // first pass the start address through ValidateOperation, which may rewrite it (translation) or
    // refuse the access (reads return 0, writes are dropped); WhatIsAt and WhatPeripheralIsAt call
    // it with BusAccessPrivileges.Other and ignore its answer. Quad words (also *WithState),
    // FindBytes, ZeroRange and IsMemory are forwarded without ValidateOperation. The other bulk
    // overloads go through the virtual (ulong address, ..., startIndex/startingIndex) ones. Only the
    // members of the stand-in IBusController are here.
    public abstract class BusControllerProxy : IBusController
    {
        public BusControllerProxy(IBusController parentController)
        {
            ParentController = parentController;
        }

        public void Reset()
        {
            ParentController.Reset();
        }

        public DelayedInvalidationContext EnterDelayedInvalidationContext()
        {
            return ParentController.EnterDelayedInvalidationContext();
        }

        public void SetDelayedInvalidation(bool value)
        {
            ParentController.SetDelayedInvalidation(value);
        }

        public virtual byte ReadByte(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                return ParentController.ReadByte(address, context, cpuState);
            }
            return (byte)0;
        }

        public virtual byte ReadByteWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                return ParentController.ReadByteWithState(address, context, stateObj);
            }
            return (byte)0;
        }

        public virtual void WriteByte(ulong address, byte value, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteByte(address, value, context, cpuState);
            }
        }

        public virtual void WriteByteWithState(ulong address, byte value, IPeripheral context, IContextState stateObj)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteByteWithState(address, value, context, stateObj);
            }
        }

        public virtual ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                return ParentController.ReadWord(address, context, cpuState);
            }
            return (ushort)0;
        }

        public virtual ushort ReadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                return ParentController.ReadWordWithState(address, context, stateObj);
            }
            return (ushort)0;
        }

        public virtual void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteWord(address, value, context, cpuState);
            }
        }

        public virtual void WriteWordWithState(ulong address, ushort value, IPeripheral context, IContextState stateObj)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteWordWithState(address, value, context, stateObj);
            }
        }

        public virtual uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                return ParentController.ReadDoubleWord(address, context, cpuState);
            }
            return (uint)0;
        }

        public virtual uint ReadDoubleWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                return ParentController.ReadDoubleWordWithState(address, context, stateObj);
            }
            return (uint)0;
        }

        public virtual void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteDoubleWord(address, value, context, cpuState);
            }
        }

        public virtual void WriteDoubleWordWithState(ulong address, uint value, IPeripheral context, IContextState stateObj)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteDoubleWordWithState(address, value, context, stateObj);
            }
        }

        public virtual void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Read, context))
            {
                ParentController.ReadBytes(address, count, destination, startIndex, onlyMemory, context, cpuState);
            }
        }

        public virtual byte[] ReadBytes(ulong address, int count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            var result = new byte[count];
            ReadBytes(address, count, result, 0, onlyMemory, context, cpuState);
            return result;
        }

        public virtual byte[] ReadBytes(long offset, int count, IPeripheral context = null)
        {
            return ReadBytes((ulong)offset, count, context: context);
        }

        public virtual ulong[] FindBytes(byte[] pattern, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null)
        {
            return ParentController.FindBytes(pattern, startAddress, endAddress, context);
        }

        public virtual ulong[] FindBytes(string hexString, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null)
        {
            return ParentController.FindBytes(hexString, startAddress, endAddress, context);
        }

        public virtual void WriteBytes(byte[] bytes, ulong address, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(bytes, address, bytes.Length, onlyMemory, context, cpuState);
        }

        public virtual void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            if(ValidateOperation(ref address, BusAccessPrivileges.Write, context))
            {
                ParentController.WriteBytes(bytes, address, startingIndex, count, onlyMemory, context, cpuState);
            }
        }

        public virtual void WriteBytes(byte[] bytes, ulong address, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(bytes, address, 0, count, onlyMemory, context, cpuState);
        }

        public virtual void WriteBytes(long offset, byte[] array, int startingIndex, int count, IPeripheral context = null)
        {
            WriteBytes(array, (ulong)offset, startingIndex, count, context: context);
        }

        public virtual bool TryConvertStateToUlongForContext(IPeripheral context, IContextState stateObj, out ulong? state)
        {
            state = null;
            if(!ParentController.TryConvertStateToUlongForContext(context, stateObj, out state))
            {
                return false;
            }
            return true;
        }

        public virtual IBusRegistered<IBusPeripheral> WhatIsAt(ulong address, IPeripheral context = null)
        {
            ValidateOperation(ref address, BusAccessPrivileges.Other, context);
            return ParentController.WhatIsAt(address, context);
        }

        public virtual IPeripheral WhatPeripheralIsAt(ulong address, IPeripheral context = null, ulong? initiatorState = null)
        {
            ValidateOperation(ref address, BusAccessPrivileges.Other, context);
            return ParentController.WhatPeripheralIsAt(address, context, initiatorState);
        }

        public virtual IEnumerable<IBusRegistered<IBusPeripheral>> GetRegisteredPeripherals(IPeripheral context = null)
        {
            return ParentController.GetRegisteredPeripherals(context);
        }

        public virtual ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            return ParentController.ReadQuadWord(address, context, cpuState);
        }

        public virtual ulong ReadQuadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            return ParentController.ReadQuadWordWithState(address, context, stateObj);
        }

        public virtual void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null)
        {
            ParentController.WriteQuadWord(address, value, context, cpuState);
        }

        public virtual void WriteQuadWordWithState(ulong address, ulong value, IPeripheral context, IContextState stateObj)
        {
            ParentController.WriteQuadWordWithState(address, value, context, stateObj);
        }

        public virtual void ZeroRange(Range range, IPeripheral context = null)
        {
            ParentController.ZeroRange(range, context);
        }

        public virtual bool IsMemory(ulong address, ICPU context = null, ulong? initiatorState = null)
        {
            return ParentController.IsMemory(address, context, initiatorState);
        }

        public virtual IEnumerable<ICPU> GetCPUs()
        {
            return ParentController.GetCPUs();
        }

        public virtual bool TryGetCurrentCPU(out ICPU cpu)
        {
            return ParentController.TryGetCurrentCPU(out cpu);
        }

        public virtual void AddWatchpointHook(ulong address, SysbusAccessWidth width, Access access, BusHookDelegate hook)
        {
            ParentController.AddWatchpointHook(address, width, access, hook);
        }

        public virtual void RemoveWatchpointHook(ulong address, BusHookDelegate hook)
        {
            ParentController.RemoveWatchpointHook(address, hook);
        }

        public bool TryGetTransactionInitiator(out IPeripheral initiator)
        {
            return ParentController.TryGetTransactionInitiator(out initiator);
        }

        public virtual void SetHookAfterPeripheralRead<T>(IBusPeripheral peripheral, Func<T, long, T> hook, Range? subrange = null)
        {
            ParentController.SetHookAfterPeripheralRead(peripheral, hook, subrange);
        }

        public virtual void SetHookBeforePeripheralWrite<T>(IBusPeripheral peripheral, Func<T, long, T> hook, Range? subrange = null)
        {
            ParentController.SetHookBeforePeripheralWrite(peripheral, hook, subrange);
        }

        public virtual IBusController ParentController { get; protected set; }

        protected virtual bool ValidateOperation(ref ulong address, BusAccessPrivileges accessType, IPeripheral context = null)
        {
            return true;
        }
    }
}
