using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.Cli.Board
{
    // The embedded host's system bus as the reference drivers see it: 32-bit register accesses
    // dispatched to the device model mapped there, and RAM. Drivers get only this and a base
    // address, so everything they do to a device goes through its registers. Messages the devices
    // return for bad accesses are kept, like lines of Renode's log.
    public sealed class DeviceBus
    {
        public DeviceBus(IPhysicalMemory memory)
        {
            Memory = memory ?? throw new ArgumentNullException(nameof(memory));
            blocks = new List<RegisterBlock>();
            log = new List<string>();
        }

        // The CPU's view of RAM.
        public IPhysicalMemory Memory { get; }

        public IReadOnlyList<string> Log => log;

        // Maps a device's registers at [baseAddress, baseAddress + size). read returns the value
        // and an optional log line; write returns an optional log line. Throws on overlap: a
        // board description bug, not a guest one.
        public void MapRegisters(string device, ulong baseAddress, ulong size, RegisterRead read, RegisterWrite write)
        {
            foreach(var block in blocks)
            {
                if(baseAddress < block.Base + block.Size && block.Base < baseAddress + size)
                {
                    throw new ArgumentException($"{device} at 0x{baseAddress:X} overlaps {block.Device} at 0x{block.Base:X}");
                }
            }
            blocks.Add(new RegisterBlock(device, baseAddress, size, read, write));
        }

        // A line for the log from a device model that reports outside a register access (a DMA
        // channel stopping, a TLB fault).
        public void AddLogLine(string line)
        {
            log.Add(line);
        }

        // Reads the register at address; an address no device decodes reads 0 and is logged.
        public uint ReadDoubleWord(ulong address)
        {
            var block = Find(address);
            if(block == null)
            {
                log.Add($"bus: read from unmapped register address 0x{address:X}");
                return 0;
            }
            var value = block.Read((long)(address - block.Base), out var message);
            Note(block, message);
            return value;
        }

        public void WriteDoubleWord(ulong address, uint value)
        {
            var block = Find(address);
            if(block == null)
            {
                log.Add($"bus: write of 0x{value:X} to unmapped register address 0x{address:X}");
                return;
            }
            Note(block, block.Write((long)(address - block.Base), value));
        }

        private RegisterBlock Find(ulong address)
        {
            foreach(var block in blocks)
            {
                if(address >= block.Base && address - block.Base < block.Size)
                {
                    return block;
                }
            }
            return null;
        }

        private void Note(RegisterBlock block, string message)
        {
            if(!string.IsNullOrEmpty(message))
            {
                log.Add($"{block.Device}: {message}");
            }
        }

        private readonly List<RegisterBlock> blocks;
        private readonly List<string> log;

        private sealed record RegisterBlock(string Device, ulong Base, ulong Size, RegisterRead Read, RegisterWrite Write);
    }
}
