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

namespace RenodeFrameAlloc.StandIn.Testing
{
    // Test-only IBusController: RAM from a PhysicalRam plus registered register-mapped peripherals,
    // routed the way Renode's SystemBus routes them. Bulk accesses that touch a peripheral go to it
    // one aligned double word at a time (other widths are logged as unhandled, read as 0), so a DMA
    // that writes its own registers really reaches them, as in Renode. Holes read 0 and drop writes,
    // with onlyMemory too, as in Renode.
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

        public uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            var bytes = new byte[4];
            ReadBytes(address, 4, bytes, 0, false, context);
            return BitConverter.ToUInt32(bytes, 0);
        }

        public void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(BitConverter.GetBytes(value), address, 0, 4, false, context);
        }

        public byte ReadByte(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            var bytes = new byte[1];
            ReadBytes(address, 1, bytes, 0, false, context);
            return bytes[0];
        }

        public void WriteByte(ulong address, byte value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(new[] { value }, address, 0, 1, false, context);
        }

        public ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            var bytes = new byte[2];
            ReadBytes(address, 2, bytes, 0, false, context);
            return BitConverter.ToUInt16(bytes, 0);
        }

        public void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(BitConverter.GetBytes(value), address, 0, 2, false, context);
        }

        public ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            var bytes = new byte[8];
            ReadBytes(address, 8, bytes, 0, false, context);
            return BitConverter.ToUInt64(bytes, 0);
        }

        public void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null)
        {
            WriteBytes(BitConverter.GetBytes(value), address, 0, 8, false, context);
        }

        public void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null)
        {
            if(count <= 0)
            {
                return;
            }
            if(ram.IsMemory(address, (ulong)count) && !TouchesPeripheral(address, (ulong)count))
            {
                ram.TryRead(address, destination.AsSpan(startIndex, count));
                return;
            }
            if(onlyMemory && TouchesPeripheral(address, (ulong)count))
            {
                // As Renode's SystemBus: a peripheral in the way fails the access; unmapped gaps do
                // not (they read as zero and drop writes, below).
                throw new RecoverableException($"Access to [0x{address:X}, +0x{count:X}) is not only memory");
            }
            var i = 0;
            while(i < count)
            {
                var at = address + (ulong)i;
                var registered = FindRegistration(at);
                if(registered == null)
                {
                    destination[startIndex + i] = ram.IsMemory(at, 1) ? ram.Read(at, 1)[0] : (byte)0;
                    i++;
                    continue;
                }
                var offset = at - registered.RegistrationPoint.Range.StartAddress;
                if(registered.Peripheral is IDoubleWordPeripheral dw && offset % 4 == 0 && count - i >= 4)
                {
                    var value = dw.ReadDoubleWord((long)offset);
                    BitConverter.GetBytes(value).CopyTo(destination, startIndex + i);
                    i += 4;
                    continue;
                }
                this.Log(LogLevel.Warning, "Unhandled byte read from a peripheral at 0x{0:X}", at);
                destination[startIndex + i] = 0;
                i++;
            }
        }

        public byte[] ReadBytes(ulong address, int count, bool onlyMemory = false, IPeripheral context = null)
        {
            var result = new byte[count];
            ReadBytes(address, count, result, 0, onlyMemory, context);
            return result;
        }

        public void WriteBytes(byte[] bytes, ulong address, bool onlyMemory = false, IPeripheral context = null)
        {
            WriteBytes(bytes, address, 0, bytes.Length, onlyMemory, context);
        }

        public void WriteBytes(byte[] bytes, ulong address, long count, bool onlyMemory = false, IPeripheral context = null)
        {
            WriteBytes(bytes, address, 0, count, onlyMemory, context);
        }

        public void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null)
        {
            if(count <= 0)
            {
                return;
            }
            if(ram.IsMemory(address, (ulong)count) && !TouchesPeripheral(address, (ulong)count))
            {
                ram.TryWrite(address, bytes.AsSpan(startingIndex, (int)count));
                return;
            }
            if(onlyMemory && TouchesPeripheral(address, (ulong)count))
            {
                // As Renode's SystemBus: a peripheral in the way fails the access; unmapped gaps do
                // not (they read as zero and drop writes, below).
                throw new RecoverableException($"Access to [0x{address:X}, +0x{count:X}) is not only memory");
            }
            var i = 0L;
            while(i < count)
            {
                var at = address + (ulong)i;
                var registered = FindRegistration(at);
                if(registered == null)
                {
                    if(ram.IsMemory(at, 1))
                    {
                        ram.TryWrite(at, bytes.AsSpan(startingIndex + (int)i, 1));
                    }
                    i++;
                    continue;
                }
                var offset = at - registered.RegistrationPoint.Range.StartAddress;
                if(registered.Peripheral is IDoubleWordPeripheral dw && offset % 4 == 0 && count - i >= 4)
                {
                    dw.WriteDoubleWord((long)offset, BitConverter.ToUInt32(bytes, startingIndex + (int)i));
                    i += 4;
                    continue;
                }
                this.Log(LogLevel.Warning, "Unhandled byte write to a peripheral at 0x{0:X}", at);
                i++;
            }
        }

        // As Renode's: RAM answers too (there a MappedMemory, here one RamBlock per stretch of RAM
        // between peripherals).
        public IBusRegistered<IBusPeripheral> WhatIsAt(ulong address, IPeripheral context = null)
        {
            return FindRegistration(address) ?? FindRam(address);
        }

        public IPeripheral WhatPeripheralIsAt(ulong address, IPeripheral context = null)
        {
            return WhatIsAt(address, context)?.Peripheral;
        }

        public IEnumerable<IBusRegistered<IBusPeripheral>> GetRegisteredPeripherals(IPeripheral context = null)
        {
            return registrations.ToList();
        }

        public bool IsMemory(ulong address, ICPU context = null)
        {
            return FindRegistration(address) == null && ram.IsMemory(address, 1);
        }

        private bool TouchesPeripheral(ulong address, ulong count)
        {
            var last = address + count - 1;
            foreach(var registered in registrations)
            {
                var range = registered.RegistrationPoint.Range;
                if(range.StartAddress <= last && address <= range.EndAddress)
                {
                    return true;
                }
            }
            return false;
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

        private readonly PhysicalRam ram;
        private readonly RamBlock ramBlock = new RamBlock();
        private readonly List<IBusRegistered<IBusPeripheral>> registrations = new List<IBusRegistered<IBusPeripheral>>();
    }
}
