using System;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Peripherals;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // Renode peripheral over RenodeFrameAlloc.Devices.FramePool: guest software borrows and
    // returns unmapped page frames through registers (docs/frame-pool.md). In a .repl:
    //     framepool: Miscellaneous.FramePoolDevice @ sysbus 0x10030000
    //         ranges: "low@0x0+16M; dma32@0x80000000+256M; high@0x100000000+256M"
    //         bufferCacheCapPercent: 50
    // The ranges should match the platform's RAM. Monitor: `framepool Statistics`.
    // No exception leaves a register access: guest errors are status bits and warnings.
    public class FramePoolDevice : IDoubleWordPeripheral, IKnownSize
    {
        // ranges: "name@base+size[/pagesize]" entries separated by ';' (see BusRange.TryParseList).
        // roundRobin: spread requests over ranges instead of serving the highest range first.
        public FramePoolDevice(IMachine machine, string ranges, int bufferCacheCapPercent = 50, bool roundRobin = false)
        {
            if(machine == null)
            {
                throw new ConstructionException("FramePoolDevice needs a machine");
            }
            if(!BusRange.TryParseList(ranges, out var parsed, out var error))
            {
                throw new ConstructionException($"FramePoolDevice: ranges: {error}");
            }
            this.ranges = parsed;
            this.bufferCacheCapPercent = bufferCacheCapPercent;
            policy = roundRobin ? ListPolicy.RoundRobin : ListPolicy.LeastConstrainedFirst;
            memory = new SystemBusMemory(machine.GetSystemBus(this), machine);
            try
            {
                model = new FramePool(new FrameAllocator(this.ranges, policy, bufferCacheCapPercent), memory);
            }
            catch(ArgumentException e)
            {
                throw new ConstructionException($"FramePoolDevice: {e.Message}", e);
            }
        }

        public long Size => FramePool.Size;

        // A machine reset takes back every frame: the guest that borrowed them is gone.
        public void Reset()
        {
            try
            {
                model = new FramePool(new FrameAllocator(ranges, policy, bufferCacheCapPercent), memory);
            }
            catch(Exception e)
            {
                ReportInternalError("reset", e);
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            try
            {
                var value = model.Read(offset, out var warning);
                if(warning != null)
                {
                    this.Log(LogLevel.Warning, warning);
                }
                return value;
            }
            catch(Exception e)
            {
                ReportInternalError($"read of offset 0x{offset:X}", e);
                return 0;
            }
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            try
            {
                var warning = model.Write(offset, value);
                if(warning != null)
                {
                    this.Log(LogLevel.Warning, warning);
                }
            }
            catch(Exception e)
            {
                ReportInternalError($"write of 0x{value:X} to offset 0x{offset:X}", e);
            }
        }

        // Monitor: the per-range table (like FreeBSD's vm.phys_free).
        public string Statistics()
        {
            return model.Allocator.FormatStatistics();
        }

        // Monitor: one pager pass over every range.
        public string RunPager()
        {
            return model.Allocator.RunPager().ToString();
        }

        // For other peripherals and tests in the same plugin: the allocator behind the registers.
        public FrameAllocator Allocator => model.Allocator;

        private void ReportInternalError(string what, Exception e)
        {
            try
            {
                this.Log(LogLevel.Error, "Internal error during {0}: {1}", what, e);
            }
            catch(Exception)
            {
                // Logging failed too: nothing more can be done without risking the emulation.
            }
        }

        private FramePool model;
        private readonly BusRange[] ranges;
        private readonly int bufferCacheCapPercent;
        private readonly ListPolicy policy;
        private readonly SystemBusMemory memory;
    }
}
