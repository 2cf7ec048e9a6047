using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // A reference driver for the frame-pool device, written as guest software would be: it only
    // writes and reads the device's registers and its own result area in RAM. Register map:
    // docs/frame-pool.md.
    public sealed class FramePoolDriver
    {
        // registers: base of the device's register block; resultArea: driver-owned RAM holding
        // resultCapacity 16-byte segment entries.
        public FramePoolDriver(DeviceBus bus, ulong registers, ulong resultArea, int resultCapacity)
        {
            this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
            this.registers = registers;
            this.resultArea = resultArea;
            this.resultCapacity = resultCapacity;
        }

        // True when the block at the base is a frame pool whose register map this driver knows.
        public bool Probe()
        {
            return Read(Registers.Id) == IdValue && Read(Registers.Version) == 1;
        }

        public int RangeCount => (int)Read(Registers.RangeCount);

        // Reads the statistics of the 0-based range index; name labels the row.
        public RangeCounters ReadStatistics(int index, string name)
        {
            Write(Registers.StatsSelect, (uint)index);
            return new RangeCounters(name,
                ReadPair(Registers.StatsBase + 0x00), ReadPair(Registers.StatsBase + 0x08),
                Read(Registers.StatsBase + 0x10), Read(Registers.StatsBase + 0x14), Read(Registers.StatsBase + 0x18),
                Read(Registers.StatsBase + 0x1C), Read(Registers.StatsBase + 0x20), Read(Registers.StatsBase + 0x24),
                Read(Registers.StatsBase + 0x28), Read(Registers.StatsBase + 0x2C), Read(Registers.StatsBase + 0x30),
                Read(Registers.StatsBase + 0x34));
        }

        // The statistics of every range, names[i] labelling range i.
        public RangeCounters[] ReadAllStatistics(IReadOnlyList<string> names)
        {
            var all = new RangeCounters[names.Count];
            for(var i = 0; i < all.Length; i++)
            {
                all[i] = ReadStatistics(i, names[i]);
            }
            return all;
        }

        // Borrows frames: programs the request, runs ALLOCATE, and reads the segments back from
        // the result area. A failure returns the ERROR register's value and no segment.
        public FramePoolReply Borrow(FrameRequest request)
        {
            WritePair(Registers.Size, request.Size);
            WritePair(Registers.Low, request.Low);
            WritePair(Registers.High, request.High);
            WritePair(Registers.Alignment, request.Alignment);
            WritePair(Registers.Boundary, request.Boundary);
            Write(Registers.MaxSegments, request.MaxSegments);
            WritePair(Registers.MaxSegmentSize, request.MaxSegmentSize);
            Write(Registers.PreferredRange, request.PreferredRange);
            WritePair(Registers.Result, resultArea);
            Write(Registers.ResultCapacity, (uint)resultCapacity);
            Write(Registers.Command, CommandAllocate);
            var error = Outcome();
            if(error != 0)
            {
                return FramePoolReply.Failed(error);
            }
            var count = (int)Read(Registers.SegmentCount);
            var area = new byte[count * EntrySize];
            if(!bus.Memory.TryRead(resultArea, area))
            {
                throw new InvalidOperationException($"the driver's result area at 0x{resultArea:X} is not RAM");
            }
            var segments = new Segment[count];
            for(var i = 0; i < count; i++)
            {
                segments[i] = new Segment(BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(i * EntrySize)),
                    BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(i * EntrySize + 8)));
            }
            return new FramePoolReply(0, segments);
        }

        // Returns frames one Borrow handed out: writes them to the result area, runs FREE and
        // returns the ERROR register (0 = taken back).
        public uint Return(IReadOnlyList<Segment> segments)
        {
            if(segments.Count > resultCapacity)
            {
                throw new ArgumentException($"{segments.Count} segments do not fit the result area of {resultCapacity}", nameof(segments));
            }
            var area = new byte[segments.Count * EntrySize];
            for(var i = 0; i < segments.Count; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(area.AsSpan(i * EntrySize), segments[i].Address);
                BinaryPrimitives.WriteUInt64LittleEndian(area.AsSpan(i * EntrySize + 8), segments[i].Length);
            }
            if(!bus.Memory.TryWrite(resultArea, area))
            {
                throw new InvalidOperationException($"the driver's result area at 0x{resultArea:X} is not RAM");
            }
            WritePair(Registers.Result, resultArea);
            Write(Registers.SegmentCount, (uint)segments.Count);
            Write(Registers.Command, CommandFree);
            return Outcome();
        }

        // Commands finish before the COMMAND write returns: STATUS is final when read.
        private uint Outcome()
        {
            var status = Read(Registers.Status);
            if((status & StatusDone) == 0)
            {
                throw new InvalidOperationException($"frame pool STATUS 0x{status:X} after a command: DONE is not set");
            }
            return (status & StatusError) != 0 ? Read(Registers.Error) : 0;
        }

        private uint Read(Registers register)
        {
            return bus.ReadDoubleWord(registers + (ulong)register);
        }

        private ulong ReadPair(Registers low)
        {
            return Read(low) | ((ulong)Read(low + 4) << 32);
        }

        private void Write(Registers register, uint value)
        {
            bus.WriteDoubleWord(registers + (ulong)register, value);
        }

        private void WritePair(Registers low, ulong value)
        {
            Write(low, (uint)value);
            Write(low + 4, (uint)(value >> 32));
        }

        private readonly DeviceBus bus;
        private readonly ulong registers;
        private readonly ulong resultArea;
        private readonly int resultCapacity;

        private const uint IdValue = 0x46504F4C;
        private const uint CommandAllocate = 1;
        private const uint CommandFree = 2;
        private const uint StatusDone = 1;
        private const uint StatusError = 2;
        private const int EntrySize = 16;

        private enum Registers : long
        {
            Id = 0x00,
            Version = 0x04,
            Command = 0x08,
            Status = 0x0C,
            Error = 0x10,
            Size = 0x18,
            Low = 0x20,
            High = 0x28,
            Alignment = 0x30,
            Boundary = 0x38,
            MaxSegments = 0x40,
            PreferredRange = 0x44,
            MaxSegmentSize = 0x48,
            Result = 0x50,
            ResultCapacity = 0x58,
            SegmentCount = 0x5C,
            RangeCount = 0x60,
            StatsSelect = 0x64,
            StatsBase = 0x80
        }
    }
}
