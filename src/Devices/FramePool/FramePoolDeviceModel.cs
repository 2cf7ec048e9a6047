using System;
using System.Buffers.Binary;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.Devices.Registers;

namespace RenodeFrameAlloc.Devices.FramePool
{
    // The frame-pool device: guest software borrows and returns unmapped page frames through
    // registers. It fills the request registers (size, window, alignment, boundary, segment
    // limits, preferred range) and the guest-physical address of a result area, writes ALLOCATE
    // to COMMAND, and finds the segments in the result area (16 bytes each: address then length,
    // both 64-bit little-endian) and the outcome in STATUS/ERROR. FREE takes SEGMENT_COUNT
    // entries of the same area back. Commands complete before the COMMAND write returns.
    // Per-range statistics are read after writing the range's index to STATS_SELECT.
    //
    // Every guest value is accepted: bad input sets STATUS.ERROR and ERROR and logs a line through
    // the host. Nothing here throws on guest input. Register map: docs/frame-pool.md.
    public sealed class FramePoolDeviceModel : IRegisterFile
    {
        public const uint Magic = 0x46504F4C; // "FPOL"
        public const uint Version = 1;
        public const int SegmentEntrySize = 16;
        public const long Size = 0x100;

        // host: the log (null: none); the frame pool has no interrupt and takes no time.
        public FramePoolDeviceModel(FrameAllocator allocator, IPhysicalMemory memory, IDeviceHost host = null)
        {
            Allocator = allocator ?? throw new ArgumentNullException(nameof(allocator));
            this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
            this.host = host;
            Reset();
        }

        public FrameAllocator Allocator { get; }
        public uint Status => status;
        public uint Error => error;

        // Replaces guest memory, e.g. once the host rebuilt its bus view after a snapshot load.
        public void RebindMemory(IPhysicalMemory memory)
        {
            this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
        }

        // Every register back to its reset value (docs/frame-pool.md).
        public void Reset()
        {
            RegisterMap.Reset(this);
        }

        // Reads a 32-bit register. Unknown offsets read 0 and are logged.
        public uint Read(long offset)
        {
            return RegisterMap.Read(this, offset);
        }

        // Writes a 32-bit register; a COMMAND write runs the command. A refused write or a failed
        // command is logged.
        public void Write(long offset, uint value)
        {
            RegisterMap.Write(this, offset, value);
        }

        // The register map of docs/frame-pool.md; unknown offsets and writes to read-only
        // registers are logged as guest errors and change nothing.
        private static RegisterTable<FramePoolDeviceModel> DefineRegisters()
        {
            var table = new RegisterTable<FramePoolDeviceModel>(Size,
                new UnknownOffsetPolicy<FramePoolDeviceModel>(static (pool, message) => pool.host?.LogGuestError(message)));
            table.Define((long)Register.Id, "ID")
                .WithValueField(0, 32, FieldMode.Read, static (_, _) => Magic);
            table.Define((long)Register.Version, "VERSION")
                .WithValueField(0, 32, FieldMode.Read, static (_, _) => Version);
            table.Define((long)Register.Command, "COMMAND")
                .WithValueField(0, 32, FieldMode.Write, write: static (pool, _, value) => pool.RunCommand((uint)value));
            table.Define((long)Register.Status, "STATUS", resetValue: 0)
                .WithValueField(0, 32, FieldMode.Read, static (pool, _) => pool.status, static (pool, _, value) => pool.status = (uint)value);
            table.Define((long)Register.Error, "ERROR", resetValue: 0)
                .WithValueField(0, 32, FieldMode.Read, static (pool, _) => pool.error, static (pool, _, value) => pool.error = (uint)value);
            table.DefineQuad((long)Register.Size, "SIZE", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.size, static (pool, _, value) => pool.size = value);
            table.DefineQuad((long)Register.WindowLow, "LOW", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.low, static (pool, _, value) => pool.low = value);
            table.DefineQuad((long)Register.WindowHigh, "HIGH", resetValue: ulong.MaxValue)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.high, static (pool, _, value) => pool.high = value);
            table.DefineQuad((long)Register.Alignment, "ALIGN", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.alignment, static (pool, _, value) => pool.alignment = value);
            table.DefineQuad((long)Register.Boundary, "BOUNDARY", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.boundary, static (pool, _, value) => pool.boundary = value);
            table.Define((long)Register.MaxSegments, "MAX_SEGMENTS", resetValue: 1)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (pool, _) => pool.maxSegments, static (pool, _, value) => pool.maxSegments = (uint)value);
            table.Define((long)Register.PreferredRange, "PREFERRED_RANGE", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (pool, _) => pool.preferredRange, static (pool, _, value) => pool.preferredRange = (uint)value);
            table.DefineQuad((long)Register.MaxSegmentSize, "MAX_SEGSIZE", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.maxSegmentSize, static (pool, _, value) => pool.maxSegmentSize = value);
            table.DefineQuad((long)Register.ResultAddress, "RESULT", resetValue: 0)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (pool, _) => pool.resultAddress, static (pool, _, value) => pool.resultAddress = value);
            table.Define((long)Register.ResultCapacity, "RESULT_CAPACITY", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (pool, _) => pool.resultCapacity, static (pool, _, value) => pool.resultCapacity = (uint)value);
            table.Define((long)Register.SegmentCount, "SEGMENT_COUNT", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (pool, _) => pool.segmentCount, static (pool, _, value) => pool.segmentCount = (uint)value);
            table.Define((long)Register.RangeCount, "RANGE_COUNT")
                .WithValueField(0, 32, FieldMode.Read, static (pool, _) => (ulong)pool.Allocator.Ranges.Count);
            table.Define((long)Register.StatsSelect, "STATS_SELECT", resetValue: 0)
                .WithValueField(0, 32, FieldMode.ReadWrite, static (pool, _) => pool.statsSelect, static (pool, _, value) => pool.statsSelect = (uint)value);
            table.DefineMany((long)Register.Statistics, 4, StatsWords, "STATS",
                static register => register.WithValueField(0, 32, FieldMode.Read, static (pool, index) => pool.ReadStatistic(index)));
            return table;
        }

        private void RunCommand(uint command)
        {
            var message = Execute(command);
            if(message != null)
            {
                host?.LogGuestError(message);
            }
        }

        private string Execute(uint command)
        {
            switch((FramePoolCommand)command)
            {
            case FramePoolCommand.Allocate:
                return RunAllocate();
            case FramePoolCommand.Free:
                return RunFree();
            case FramePoolCommand.ClearStatus:
                status = 0;
                error = 0;
                return null;
            default:
                return Finish(FramePoolError.UnknownCommand, $"unknown command {command}");
            }
        }

        private string RunAllocate()
        {
            segmentCount = 0;
            if(resultCapacity == 0)
            {
                return Finish(FramePoolError.BadSegmentCount, "ALLOCATE with RESULT_CAPACITY 0: the result area holds no segment");
            }
            var capacity = (int)Math.Min(resultCapacity, MaxEntries);
            if(!memory.IsMemory(resultAddress, (ulong)capacity * SegmentEntrySize))
            {
                return Finish(FramePoolError.ResultAreaNotInMemory, $"result area [0x{resultAddress:X}, +{capacity} entries) is not RAM");
            }
            var constraints = new AllocationConstraints
            {
                Low = low,
                High = high,
                Alignment = alignment,
                Boundary = boundary,
                MaxSegments = (int)Math.Min(maxSegments, int.MaxValue),
                MaxSegmentSize = maxSegmentSize
            };
            if(preferredRange != 0)
            {
                if(preferredRange > Allocator.Ranges.Count)
                {
                    return Finish(FramePoolError.UnknownPreferredRange, $"PREFERRED_RANGE {preferredRange} names no range (1..{Allocator.Ranges.Count}, 0 = none)");
                }
                constraints.PreferredRange = Allocator.Ranges[(int)preferredRange - 1].Name;
            }
            var segments = new Segment[Math.Min(capacity, constraints.MaxSegments)];
            var result = Allocator.TryAllocate(size, constraints, segments, out var count);
            if(result != AllocationError.None)
            {
                return Finish((FramePoolError)result, $"ALLOCATE 0x{size:X} bytes failed: {result}: {Allocator.LastFailureMessage}");
            }
            var area = new byte[count * SegmentEntrySize];
            for(var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(area.AsSpan(i * SegmentEntrySize), segments[i].Address);
                BinaryPrimitives.WriteUInt64LittleEndian(area.AsSpan(i * SegmentEntrySize + 8), segments[i].Length);
            }
            if(!memory.TryWrite(resultAddress, area))
            {
                // Checked above; a bus that changed under us must not leak the frames.
                Allocator.Free(segments.AsSpan(0, count));
                return Finish(FramePoolError.ResultAreaNotInMemory, $"result area at 0x{resultAddress:X} could not be written");
            }
            segmentCount = (uint)count;
            return Finish(FramePoolError.None, null);
        }

        private string RunFree()
        {
            if(segmentCount == 0 || segmentCount > MaxEntries)
            {
                return Finish(FramePoolError.BadSegmentCount, $"FREE of {segmentCount} segments: give 1..{MaxEntries}");
            }
            var area = new byte[segmentCount * SegmentEntrySize];
            if(!memory.TryRead(resultAddress, area))
            {
                return Finish(FramePoolError.ResultAreaNotInMemory, $"result area [0x{resultAddress:X}, +{segmentCount} entries) is not RAM");
            }
            var segments = new Segment[segmentCount];
            for(var i = 0; i < segments.Length; i++)
            {
                segments[i] = new Segment(BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(i * SegmentEntrySize)),
                    BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(i * SegmentEntrySize + 8)));
            }
            var result = Allocator.Free(segments);
            return result.Succeeded ? Finish(FramePoolError.None, null)
                : Finish((FramePoolError)result.Error, $"FREE of {segments.Length} segment(s) refused: {result.Error}: {result.Message}");
        }

        private uint ReadStatistic(int index)
        {
            var statistics = Allocator.GetStatistics();
            if(statsSelect >= statistics.Count)
            {
                host?.LogGuestError($"statistics read with STATS_SELECT {statsSelect}: there are {statistics.Count} ranges");
                status |= StatusError;
                error = (uint)FramePoolError.UnknownRangeIndex;
                return 0;
            }
            var s = statistics[(int)statsSelect];
            switch((Statistic)index)
            {
            case Statistic.BaseLow:
                return (uint)s.Base;
            case Statistic.BaseHigh:
                return (uint)(s.Base >> 32);
            case Statistic.SizeLow:
                return (uint)s.Size;
            case Statistic.SizeHigh:
                return (uint)(s.Size >> 32);
            case Statistic.PageSize:
                return (uint)s.PageSize;
            case Statistic.Pages:
                return Saturate(s.Pages);
            case Statistic.Free:
                return Saturate(s.Free);
            case Statistic.Wired:
                return Saturate(s.Wired);
            case Statistic.Active:
                return Saturate(s.Active);
            case Statistic.Inactive:
                return Saturate(s.Inactive);
            case Statistic.Cache:
                return Saturate(s.CachePages);
            case Statistic.Allocations:
                return Saturate(s.Allocations);
            case Statistic.Failures:
                return Saturate(s.Failures);
            default:
                return Saturate(s.Reclaims);
            }
        }

        private string Finish(FramePoolError outcome, string message)
        {
            error = (uint)outcome;
            status = StatusDone | (outcome == FramePoolError.None ? 0 : StatusError);
            return message;
        }

        private static uint Saturate(long value)
        {
            return value > uint.MaxValue ? uint.MaxValue : (uint)value;
        }

        public const uint StatusDone = 1;
        public const uint StatusError = 2;
        // A result area bigger than this is refused: it bounds the buffer one command may take.
        public const uint MaxEntries = 4096;
        private const int StatsWords = 14;

        private ulong size;
        private ulong low;
        private ulong high;
        private ulong alignment;
        private ulong boundary;
        private uint maxSegments;
        private ulong maxSegmentSize;
        private uint preferredRange;
        private ulong resultAddress;
        private uint resultCapacity;
        private uint segmentCount;
        private uint statsSelect;
        private uint status;
        private uint error;
        private static readonly RegisterTable<FramePoolDeviceModel> RegisterMap = DefineRegisters();

        private IPhysicalMemory memory;
        private readonly IDeviceHost host;

        // Offsets of docs/frame-pool.md; a 64-bit pair is named by its LO half.
        private enum Register : long
        {
            Id = 0x00,
            Version = 0x04,
            Command = 0x08,
            Status = 0x0C,
            Error = 0x10,
            Size = 0x18,
            WindowLow = 0x20,
            WindowHigh = 0x28,
            Alignment = 0x30,
            Boundary = 0x38,
            MaxSegments = 0x40,
            PreferredRange = 0x44,
            MaxSegmentSize = 0x48,
            ResultAddress = 0x50,
            ResultCapacity = 0x58,
            SegmentCount = 0x5C,
            RangeCount = 0x60,
            StatsSelect = 0x64,
            Statistics = 0x80
        }

        private enum Statistic
        {
            BaseLow = 0,
            BaseHigh = 1,
            SizeLow = 2,
            SizeHigh = 3,
            PageSize = 4,
            Pages = 5,
            Free = 6,
            Wired = 7,
            Active = 8,
            Inactive = 9,
            Cache = 10,
            Allocations = 11,
            Failures = 12,
            Reclaims = 13
        }
    }
}
