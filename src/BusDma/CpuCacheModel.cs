using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.BusDma
{
    // The non-coherent checker's model of a CPU data cache, deliberately unforgiving so that a
    // missing sync shows in the data every time:
    // - CPU writes allocate the line (filled from memory) and stay in it, dirty, until a PREWRITE
    //   or PREREAD of a map covering the line writes it back;
    // - PREREAD also loads every line of the synced buffer that is not cached, as if the CPU had
    //   just touched it; those lines keep serving CPU reads until POSTREAD drops them, so device
    //   writes stay invisible to the CPU until then;
    // - a CPU read that misses reads memory and allocates nothing.
    // Syncs act on whole lines (LineSize bytes), as real caches do: a buffer sharing a line with
    // other data is a real hazard and is modelled as one. Lines never leave by eviction.
    // Memory in `uncached` (coherent DMA memory) bypasses the model.
    internal sealed class CpuCacheModel
    {
        public const int LineSize = 64;

        public CpuCacheModel(IPhysicalMemory memory, ByteRangeSet uncached)
        {
            this.memory = memory;
            this.uncached = uncached;
            lines = new Dictionary<ulong, CacheLine>();
        }

        public bool Read(ulong address, Span<byte> destination)
        {
            if(!memory.IsMemory(address, (ulong)destination.Length))
            {
                return false;
            }
            var done = 0;
            while(done < destination.Length)
            {
                var at = address + (ulong)done;
                var lineAddress = at & ~(ulong)(LineSize - 1);
                var inLine = (int)(at - lineAddress);
                var count = Math.Min(LineSize - inLine, destination.Length - done);
                var part = destination.Slice(done, count);
                if(lines.TryGetValue(lineAddress, out var line))
                {
                    line.Data.AsSpan(inLine, count).CopyTo(part);
                }
                else if(!memory.TryRead(at, part))
                {
                    return false;
                }
                done += count;
            }
            return true;
        }

        public bool Write(ulong address, ReadOnlySpan<byte> source)
        {
            if(!memory.IsMemory(address, (ulong)source.Length))
            {
                return false;
            }
            var done = 0;
            while(done < source.Length)
            {
                var at = address + (ulong)done;
                var lineAddress = at & ~(ulong)(LineSize - 1);
                var inLine = (int)(at - lineAddress);
                var count = Math.Min(LineSize - inLine, source.Length - done);
                var part = source.Slice(done, count);
                if(uncached.Overlaps(lineAddress, lineAddress + LineSize))
                {
                    memory.TryWrite(at, part);
                }
                else
                {
                    var line = GetOrFill(lineAddress);
                    if(line == null)
                    {
                        // The line straddles the end of memory: no caching there.
                        memory.TryWrite(at, part);
                    }
                    else
                    {
                        part.CopyTo(line.Data.AsSpan(inLine, count));
                        line.Dirty = true;
                    }
                }
                done += count;
            }
            return true;
        }

        // Writes dirty lines overlapping [start, end) back to memory; with `fill`, also loads the
        // uncached lines of the range (PREREAD).
        public void WriteBack(ulong start, ulong end, bool fill)
        {
            for(var lineAddress = start & ~(ulong)(LineSize - 1); lineAddress < end; lineAddress += LineSize)
            {
                if(lines.TryGetValue(lineAddress, out var line))
                {
                    if(line.Dirty)
                    {
                        memory.TryWrite(lineAddress, line.Data);
                        line.Dirty = false;
                    }
                }
                else if(fill && !uncached.Overlaps(lineAddress, lineAddress + LineSize))
                {
                    GetOrFill(lineAddress);
                }
                if(lineAddress > ulong.MaxValue - LineSize)
                {
                    break;
                }
            }
        }

        // Drops the lines overlapping [start, end), dirty or not (POSTREAD).
        public void Invalidate(ulong start, ulong end)
        {
            for(var lineAddress = start & ~(ulong)(LineSize - 1); lineAddress < end; lineAddress += LineSize)
            {
                lines.Remove(lineAddress);
                if(lineAddress > ulong.MaxValue - LineSize)
                {
                    break;
                }
            }
        }

        public void WriteBackAll()
        {
            foreach(var pair in lines)
            {
                if(pair.Value.Dirty)
                {
                    memory.TryWrite(pair.Key, pair.Value.Data);
                    pair.Value.Dirty = false;
                }
            }
        }

        public void Clear()
        {
            lines.Clear();
        }

        private CacheLine GetOrFill(ulong lineAddress)
        {
            if(lines.TryGetValue(lineAddress, out var line))
            {
                return line;
            }
            line = new CacheLine();
            if(!memory.TryRead(lineAddress, line.Data))
            {
                return null;
            }
            lines.Add(lineAddress, line);
            return line;
        }

        private readonly IPhysicalMemory memory;
        private readonly ByteRangeSet uncached;
        private readonly Dictionary<ulong, CacheLine> lines;

        private sealed class CacheLine
        {
            public readonly byte[] Data = new byte[LineSize];
            public bool Dirty;
        }
    }
}
