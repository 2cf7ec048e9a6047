using System;
using System.Buffers.Binary;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;

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
    public sealed class FramePoolDeviceModel
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

        public void Reset()
        {
            size = 0;
            low = 0;
            high = ulong.MaxValue;
            alignment = 0;
            boundary = 0;
            maxSegments = 1;
            maxSegmentSize = 0;
            preferredRange = 0;
            resultAddress = 0;
            resultCapacity = 0;
            segmentCount = 0;
            statsSelect = 0;
            status = 0;
            error = 0;
        }

        // Reads a 32-bit register. Unknown offsets read 0 and are logged.
        public uint Read(long offset)
        {
            switch((Registers)offset)
            {
            case Registers.Id:
                return Magic;
            case Registers.Version:
                return Version;
            case Registers.Status:
                return status;
            case Registers.Error:
                return error;
            case Registers.SizeLow:
                return (uint)size;
            case Registers.SizeHigh:
                return (uint)(size >> 32);
            case Registers.WindowLowLow:
                return (uint)low;
            case Registers.WindowLowHigh:
                return (uint)(low >> 32);
            case Registers.WindowHighLow:
                return (uint)high;
            case Registers.WindowHighHigh:
                return (uint)(high >> 32);
            case Registers.AlignmentLow:
                return (uint)alignment;
            case Registers.AlignmentHigh:
                return (uint)(alignment >> 32);
            case Registers.BoundaryLow:
                return (uint)boundary;
            case Registers.BoundaryHigh:
                return (uint)(boundary >> 32);
            case Registers.MaxSegments:
                return maxSegments;
            case Registers.MaxSegmentSizeLow:
                return (uint)maxSegmentSize;
            case Registers.MaxSegmentSizeHigh:
                return (uint)(maxSegmentSize >> 32);
            case Registers.PreferredRange:
                return preferredRange;
            case Registers.ResultAddressLow:
                return (uint)resultAddress;
            case Registers.ResultAddressHigh:
                return (uint)(resultAddress >> 32);
            case Registers.ResultCapacity:
                return resultCapacity;
            case Registers.SegmentCount:
                return segmentCount;
            case Registers.RangeCount:
                return (uint)Allocator.Ranges.Count;
            case Registers.StatsSelect:
                return statsSelect;
            }
            if(offset >= (long)Registers.StatsBase && offset < (long)Registers.StatsBase + StatsWords * 4 && (offset & 3) == 0)
            {
                return ReadStatistic((int)((offset - (long)Registers.StatsBase) >> 2));
            }
            host?.LogGuestError($"read from unknown register 0x{offset:X}");
            return 0;
        }

        // Writes a 32-bit register; a COMMAND write runs the command. A refused write or a failed
        // command is logged.
        public void Write(long offset, uint value)
        {
            var message = WriteAndExplain(offset, value);
            if(message != null)
            {
                host?.LogGuestError(message);
            }
        }

        private string WriteAndExplain(long offset, uint value)
        {
            switch((Registers)offset)
            {
            case Registers.SizeLow:
                size = (size & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.SizeHigh:
                size = (size & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.WindowLowLow:
                low = (low & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.WindowLowHigh:
                low = (low & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.WindowHighLow:
                high = (high & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.WindowHighHigh:
                high = (high & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.AlignmentLow:
                alignment = (alignment & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.AlignmentHigh:
                alignment = (alignment & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.BoundaryLow:
                boundary = (boundary & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.BoundaryHigh:
                boundary = (boundary & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.MaxSegments:
                maxSegments = value;
                return null;
            case Registers.MaxSegmentSizeLow:
                maxSegmentSize = (maxSegmentSize & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.MaxSegmentSizeHigh:
                maxSegmentSize = (maxSegmentSize & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.PreferredRange:
                preferredRange = value;
                return null;
            case Registers.ResultAddressLow:
                resultAddress = (resultAddress & ~0xFFFFFFFFUL) | value;
                return null;
            case Registers.ResultAddressHigh:
                resultAddress = (resultAddress & 0xFFFFFFFFUL) | ((ulong)value << 32);
                return null;
            case Registers.ResultCapacity:
                resultCapacity = value;
                return null;
            case Registers.SegmentCount:
                segmentCount = value;
                return null;
            case Registers.StatsSelect:
                statsSelect = value;
                return null;
            case Registers.Command:
                return RunCommand(value);
            }
            return $"write of 0x{value:X} to unknown or read-only register 0x{offset:X} ignored";
        }

        private string RunCommand(uint command)
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
        private IPhysicalMemory memory;
        private readonly IDeviceHost host;

        private enum Registers : long
        {
            Id = 0x00,
            Version = 0x04,
            Command = 0x08,
            Status = 0x0C,
            Error = 0x10,
            SizeLow = 0x18,
            SizeHigh = 0x1C,
            WindowLowLow = 0x20,
            WindowLowHigh = 0x24,
            WindowHighLow = 0x28,
            WindowHighHigh = 0x2C,
            AlignmentLow = 0x30,
            AlignmentHigh = 0x34,
            BoundaryLow = 0x38,
            BoundaryHigh = 0x3C,
            MaxSegments = 0x40,
            PreferredRange = 0x44,
            MaxSegmentSizeLow = 0x48,
            MaxSegmentSizeHigh = 0x4C,
            ResultAddressLow = 0x50,
            ResultAddressHigh = 0x54,
            ResultCapacity = 0x58,
            SegmentCount = 0x5C,
            RangeCount = 0x60,
            StatsSelect = 0x64,
            StatsBase = 0x80
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
