using System.Collections.Generic;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma
{
    // Turns a stream of bus-contiguous stretches into the segments a device is programmed with:
    // splits at boundary multiples and at the max segment size, coalesces a stretch with the
    // previous segment when it continues it and the limits allow. Past the segment limit it stops
    // storing but keeps counting, so an error can say how many segments the buffer needs.
    internal struct SegmentBuilder
    {
        public SegmentBuilder(List<Segment> destination, int maxSegments, ulong maxSegmentSize, ulong boundary)
        {
            this.destination = destination;
            this.maxSegments = maxSegments;
            this.maxSegmentSize = DmaTag.Limit(maxSegmentSize);
            this.boundary = boundary;
            count = 0;
            lastAddress = 0;
            lastLength = 0;
        }

        public int Count => count;
        public bool Overflowed => count > maxSegments;

        // address + length must not wrap.
        public void Add(ulong address, ulong length)
        {
            while(length > 0)
            {
                var take = length;
                if(boundary != 0)
                {
                    var toBoundary = boundary - (address & (boundary - 1));
                    if(take > toBoundary)
                    {
                        take = toBoundary;
                    }
                }
                var continues = count > 0 && lastAddress + lastLength == address && lastLength < maxSegmentSize
                    && (boundary == 0 || (lastAddress & ~(boundary - 1)) == (address & ~(boundary - 1)));
                if(continues)
                {
                    if(take > maxSegmentSize - lastLength)
                    {
                        take = maxSegmentSize - lastLength;
                    }
                    lastLength += take;
                    if(count <= maxSegments)
                    {
                        destination[destination.Count - 1] = new Segment(lastAddress, lastLength);
                    }
                }
                else
                {
                    if(take > maxSegmentSize)
                    {
                        take = maxSegmentSize;
                    }
                    count++;
                    lastAddress = address;
                    lastLength = take;
                    if(count <= maxSegments)
                    {
                        destination.Add(new Segment(address, take));
                    }
                }
                address += take;
                length -= take;
            }
        }

        private int count;
        private ulong lastAddress;
        private ulong lastLength;

        private readonly List<Segment> destination;
        private readonly int maxSegments;
        private readonly ulong maxSegmentSize;
        private readonly ulong boundary;
    }
}
