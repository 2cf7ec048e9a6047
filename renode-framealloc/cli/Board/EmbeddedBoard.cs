using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Memory;

namespace RenodeFrameAlloc.Cli.Board
{
    // The demo's embedded host: the frame allocator over a set of bus ranges, RAM of the same
    // layout plus the drivers' own memory, and the device models on one bus, as a platform
    // description would put them together in Renode. Built fresh for every step.
    public sealed class EmbeddedBoard
    {
        public EmbeddedBoard(IReadOnlyList<BusRange> ranges, int bufferCacheCapPercent = 50)
        {
            Ranges = ranges.ToArray();
            Allocator = new FrameAllocator(Ranges, ListPolicy.LeastConstrainedFirst, bufferCacheCapPercent);
            var ram = new List<BusRange>(Ranges)
            {
                new BusRange("driver", DemoLayout.DriverMemoryBase, DemoLayout.DriverMemorySize)
            };
            Ram = new PhysicalRam(ram);
            Bus = new DeviceBus(Ram);
            FramePool = new FramePool(Allocator, Ram);
            Bus.MapRegisters("framepool", DemoLayout.FramePoolBase, (ulong)FramePool.Size, FramePool.Read, FramePool.Write);
        }

        public IReadOnlyList<BusRange> Ranges { get; }
        public FrameAllocator Allocator { get; }
        public PhysicalRam Ram { get; }
        public DeviceBus Bus { get; }
        public FramePool FramePool { get; }

        // The drivers' own memory: [DriverMemoryBase, + DriverMemorySize), never handed out by the allocator.
        public ulong DriverMemory => DemoLayout.DriverMemoryBase;
    }
}
