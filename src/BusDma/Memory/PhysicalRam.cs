using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma.Memory
{
    // An in-memory RAM with the same layout as a set of bus ranges. Backing store is allocated
    // in 64 KiB chunks on first write, so an 8 GiB layout costs only what is touched; untouched
    // memory reads as zero.
    public sealed class PhysicalRam : IBulkPhysicalMemory
    {
        public PhysicalRam(IEnumerable<BusRange> ranges)
        {
            // Adjacent ranges are one stretch of RAM: merge them so an access may span the seam.
            var sorted = new List<BusRange>(ranges);
            sorted.Sort((a, b) => a.Base.CompareTo(b.Base));
            var list = new List<Region>();
            var i = 0;
            while(i < sorted.Count)
            {
                var start = sorted[i].Base;
                var end = sorted[i].Base + sorted[i].Size;
                i++;
                while(i < sorted.Count && sorted[i].Base == end)
                {
                    end += sorted[i].Size;
                    i++;
                }
                list.Add(new Region(start, end - start));
            }
            regions = list.ToArray();
        }

        public bool TryRead(ulong address, Span<byte> destination)
        {
            var region = Find(address, (ulong)destination.Length);
            if(region == null)
            {
                return false;
            }
            var offset = address - region.Base;
            var done = 0;
            while(done < destination.Length)
            {
                var chunkIndex = (int)((offset + (ulong)done) >> ChunkShift);
                var inChunk = (int)((offset + (ulong)done) & ChunkMask);
                var count = Math.Min(ChunkSize - inChunk, destination.Length - done);
                var chunk = region.Chunks[chunkIndex];
                if(chunk == null)
                {
                    destination.Slice(done, count).Clear();
                }
                else
                {
                    chunk.AsSpan(inChunk, count).CopyTo(destination.Slice(done, count));
                }
                done += count;
            }
            return true;
        }

        public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
        {
            var region = Find(address, (ulong)source.Length);
            if(region == null)
            {
                return false;
            }
            var offset = address - region.Base;
            var done = 0;
            while(done < source.Length)
            {
                var chunkIndex = (int)((offset + (ulong)done) >> ChunkShift);
                var inChunk = (int)((offset + (ulong)done) & ChunkMask);
                var count = Math.Min(ChunkSize - inChunk, source.Length - done);
                var chunk = region.Chunks[chunkIndex] ??= new byte[ChunkSize];
                source.Slice(done, count).CopyTo(chunk.AsSpan(inChunk, count));
                done += count;
            }
            return true;
        }

        public bool IsMemory(ulong address, ulong length)
        {
            return Find(address, length) != null;
        }

        public bool TryCopy(ulong source, ulong destination, ulong length)
        {
            var from = Find(source, length);
            var to = Find(destination, length);
            if(from == null || to == null)
            {
                return false;
            }
            // Chunk-sized pieces, each a memmove; going backwards when the destination is above
            // an overlapping source keeps the whole copy a memmove.
            var backwards = destination > source && destination - source < length;
            var fromOffset = source - from.Base;
            var toOffset = destination - to.Base;
            var done = 0UL;
            while(done < length)
            {
                ulong start;
                int count;
                if(backwards)
                {
                    var last = length - done - 1;
                    var fromRoom = (int)((fromOffset + last) & ChunkMask) + 1;
                    var toRoom = (int)((toOffset + last) & ChunkMask) + 1;
                    count = (int)Math.Min(length - done, (ulong)Math.Min(fromRoom, toRoom));
                    start = last + 1 - (ulong)count;
                }
                else
                {
                    var fromRoom = ChunkSize - (int)((fromOffset + done) & ChunkMask);
                    var toRoom = ChunkSize - (int)((toOffset + done) & ChunkMask);
                    count = (int)Math.Min(length - done, (ulong)Math.Min(fromRoom, toRoom));
                    start = done;
                }
                CopyPiece(from, fromOffset + start, to, toOffset + start, count);
                done += (ulong)count;
            }
            return true;
        }

        // Convenience for tests and the demo.
        public byte[] Read(ulong address, int length)
        {
            var data = new byte[length];
            if(!TryRead(address, data))
            {
                throw new ArgumentOutOfRangeException(nameof(address), $"[0x{address:X}, +0x{length:X}) is not RAM");
            }
            return data;
        }

        public void Write(ulong address, ReadOnlySpan<byte> data)
        {
            if(!TryWrite(address, data))
            {
                throw new ArgumentOutOfRangeException(nameof(address), $"[0x{address:X}, +0x{data.Length:X}) is not RAM");
            }
        }

        // Copies count bytes that lie within one chunk on each side.
        private static void CopyPiece(Region from, ulong fromOffset, Region to, ulong toOffset, int count)
        {
            var fromChunk = from.Chunks[(int)(fromOffset >> ChunkShift)];
            var toIndex = (int)(toOffset >> ChunkShift);
            var toInChunk = (int)(toOffset & ChunkMask);
            if(fromChunk == null)
            {
                // Untouched memory reads as zero; only a touched destination needs clearing.
                to.Chunks[toIndex]?.AsSpan(toInChunk, count).Clear();
                return;
            }
            var toChunk = to.Chunks[toIndex] ??= new byte[ChunkSize];
            fromChunk.AsSpan((int)(fromOffset & ChunkMask), count).CopyTo(toChunk.AsSpan(toInChunk, count));
        }

        // The stretch of RAM holding address (adjacent ranges merged): its base and size. False
        // in a hole.
        public bool TryGetRegion(ulong address, out ulong regionBase, out ulong regionSize)
        {
            var region = Find(address, 1);
            regionBase = region?.Base ?? 0;
            regionSize = region?.Size ?? 0;
            return region != null;
        }

        private Region Find(ulong address, ulong length)
        {
            foreach(var region in regions)
            {
                if(address >= region.Base && address - region.Base <= region.Size && length <= region.Size - (address - region.Base))
                {
                    return region;
                }
            }
            return null;
        }

        private readonly Region[] regions;

        private const int ChunkShift = 16;
        private const int ChunkSize = 1 << ChunkShift;
        private const ulong ChunkMask = ChunkSize - 1;

        private sealed class Region
        {
            public Region(ulong baseAddress, ulong size)
            {
                Base = baseAddress;
                Size = size;
                Chunks = new byte[(int)((size + ChunkSize - 1) >> ChunkShift)][];
            }

            public readonly ulong Base;
            public readonly ulong Size;
            public readonly byte[][] Chunks;
        }
    }
}
