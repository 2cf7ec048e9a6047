using System;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Peripherals;
using RenodeFrameAlloc.Devices.FramePool;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // Renode peripheral over FramePoolDeviceModel: guest software borrows and
    // returns unmapped page frames through registers (docs/frame-pool.md). In a .repl:
    //     framepool: Miscellaneous.FramePoolDevice @ sysbus 0x10030000
    //         ranges: "low@0x0+16M; dma32@0x80000000+256M; high@0x100000000+256M"
    //         bufferCacheCapPercent: 50
    // The ranges should match the platform's RAM. Monitor: `framepool Statistics`.
    // Guest errors are status bits and warnings. No exception from the model leaves a register
    // access or a reset: EntryPointBoundary logs it at error level (a read answers 0).
    // Snapshots: state in the model's plain fields; the bus view is [Transient] and rebuilt in the
    // one [LatePostDeserialization] hook.
    public class FramePoolDevice : IDoubleWordPeripheral, IKnownSize, IModelAdapter
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
            this.machine = machine;
            this.ranges = parsed;
            this.bufferCacheCapPercent = bufferCacheCapPercent;
            policy = roundRobin ? ListPolicy.RoundRobin : ListPolicy.LeastConstrainedFirst;
            memory = new SystemBusMemory(machine.GetSystemBus(this), machine);
            try
            {
                model = new FramePoolDeviceModel(new FrameAllocator(this.ranges, policy, bufferCacheCapPercent), memory, this);
            }
            catch(ArgumentException e)
            {
                throw new ConstructionException($"FramePoolDevice: {e.Message}", e);
            }
        }

        public long Size => FramePoolDeviceModel.Size;

        // A machine reset takes back every frame: the guest that borrowed them is gone.
        public void Reset()
        {
            try
            {
                model = new FramePoolDeviceModel(new FrameAllocator(ranges, policy, bufferCacheCapPercent), memory, this);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "reset", e);
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            return EntryPointBoundary.Read(this, model, offset);
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            EntryPointBoundary.Write(this, model, offset, value);
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

        void IDeviceHost.LogGuestError(string message)
        {
            this.Log(LogLevel.Warning, message);
        }

        void IDeviceHost.LogInternalError(string message)
        {
            this.Log(LogLevel.Error, message);
        }

        // The frame pool has no interrupt line and takes no time: its model never asks.
        void IDeviceHost.SetLine(int line, bool asserted)
        {
            this.Log(LogLevel.Error, "The frame-pool model set line {0}, which it does not have; ignored", line);
        }

        void IDeviceHost.ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            this.Log(LogLevel.Error, "The frame-pool model asked for a wake it has no use for (channel {0}); ignored", channel);
        }

        // Logged is all: the command in progress either finished or left STATUS as it was.
        void IModelAdapter.ReactToInternalError(int channel)
        {
        }

        [LatePostDeserialization]
        private void RebuildAfterLoad()
        {
            try
            {
                memory = new SystemBusMemory(machine.GetSystemBus(this), machine);
                model.RebindMemory(memory);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "the rebuild after a snapshot load", e);
            }
        }

        // A view of the bus, rebuilt after a snapshot load.
        [Transient]
        private SystemBusMemory memory;
        private FramePoolDeviceModel model;
        private readonly BusRange[] ranges;
        private readonly int bufferCacheCapPercent;
        private readonly ListPolicy policy;
        private readonly IMachine machine;
    }
}
