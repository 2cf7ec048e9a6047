using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices.Dma;
using RenodeFrameAlloc.Devices.Tlb;
using RenodeFrameAlloc.Devices.FramePool;

namespace RenodeFrameAlloc.Cli.Board
{
    // The demo's embedded host, put together as a platform description would in Renode: the
    // frame allocator over a set of bus ranges, RAM of the same layout plus the drivers' own
    // memory, and on one bus the frame-pool device, a 24-bit and a 32-bit scatter-gather DMA
    // engine, and the software-managed TLB in front of the 32-bit engine. Interrupts are level
    // lines the CPU side polls; time is virtual. The bus_dma layer runs over the same allocator
    // and RAM, and its checker watches what the engines and the drivers touch: the engines see
    // memory through the checker's device views. Built fresh for every step.
    public sealed class EmbeddedBoard
    {
        public EmbeddedBoard(IReadOnlyList<BusRange> ranges, int bufferCacheCapPercent = 50, DmaCheckerMode checker = DmaCheckerMode.Coherent)
        {
            Ranges = ranges.ToArray();
            Allocator = new FrameAllocator(Ranges, ListPolicy.LeastConstrainedFirst, bufferCacheCapPercent);
            var ram = new List<BusRange>(Ranges)
            {
                new BusRange("driver", DemoLayout.DriverMemoryBase, DemoLayout.DriverMemorySize)
            };
            Ram = new PhysicalRam(ram);
            Bus = new DeviceBus(Ram);
            Clock = new VirtualClock();
            BusDma = new BusDmaLayer(Allocator, Ram, new BusDmaOptions { Checker = checker });

            FramePool = new FramePoolDeviceModel(Allocator, Ram, new UntimedDeviceHost("framepool", Bus.AddLogLine));
            Bus.MapRegisters("framepool", DemoLayout.FramePoolBase, (ulong)FramePoolDeviceModel.Size, Quiet(FramePool.Read), Quiet(FramePool.Write));

            TlbHost = new UntimedDeviceHost("iotlb", Bus.AddLogLine);
            Tlb = new SoftwareManagedTlbModel(TlbEntries, 0, Ram, TlbHost);
            var tlbRegisters = new SoftwareManagedTlbRegisters(Tlb);
            Bus.MapRegisters("iotlb", DemoLayout.TlbBase, (ulong)SoftwareManagedTlbRegisters.Size, Quiet(tlbRegisters.Read), Quiet(tlbRegisters.Write));

            Dma24Host = new EngineHost("dma24", DmaChannels, Clock, Bus.AddLogLine);
            Dma24 = AddEngine("dma24", Dma24Host, DemoLayout.Dma24Base, DmaAddressWindow.FromBits(24), null, Dma24Initiator);
            Dma32Host = new EngineHost("dma32", DmaChannels, Clock, Bus.AddLogLine);
            Dma32 = AddEngine("dma32", Dma32Host, DemoLayout.Dma32Base, DmaAddressWindow.FromBits(32), Tlb, Dma32Initiator);
        }

        public IReadOnlyList<BusRange> Ranges { get; }
        public FrameAllocator Allocator { get; }
        public PhysicalRam Ram { get; }
        public DeviceBus Bus { get; }
        public VirtualClock Clock { get; }
        public BusDmaLayer BusDma { get; }
        // What driver code on the CPU reads and writes buffers through (the checker's CPU view).
        public IPhysicalMemory CpuMemory => BusDma.CpuMemory;
        public FramePoolDeviceModel FramePool { get; }
        public SoftwareManagedTlbModel Tlb { get; }
        public UntimedDeviceHost TlbHost { get; }
        public ScatterGatherDmaModel Dma24 { get; }
        public EngineHost Dma24Host { get; }
        public ScatterGatherDmaModel Dma32 { get; }
        public EngineHost Dma32Host { get; }

        // The drivers' own memory: [DriverMemoryBase, + DriverMemorySize), never handed out by the allocator.
        public ulong DriverMemory => DemoLayout.DriverMemoryBase;

        public IEnumerable<InterruptLine> InterruptLines => Dma24Host.Lines.Concat(Dma32Host.Lines).Append(TlbHost.Line);

        // What a CPU's wait-for-interrupt does: lets virtual time pass until some line is
        // asserted. False when no line is asserted and no device has anything scheduled (a
        // driver waiting now would wait for ever).
        public bool WaitForInterrupt()
        {
            while(!InterruptLines.Any(l => l.Asserted))
            {
                if(!Clock.FireNext())
                {
                    return false;
                }
            }
            return true;
        }

        private ScatterGatherDmaModel AddEngine(string name, EngineHost host, ulong registers, DmaAddressWindow window, IIoTranslator translator, int initiator)
        {
            var memory = BusDma.Checker?.DeviceView(Ram, name) ?? Ram;
            var engine = new ScatterGatherDmaModel(memory, host, DmaChannels, window, DmaBandwidth, ScatterGatherDmaModel.DefaultMaxChainLength, translator, initiator);
            host.Engine = engine;
            var size = (ulong)engine.RegisterSpaceSize;
            engine.SetOwnRegisterRanges(new[] { (registers, size) });
            Bus.MapRegisters(name, registers, size, Quiet(engine.ReadRegister), Quiet(engine.WriteRegister));
            return engine;
        }

        // The device models log through their hosts, not through the access's return value.
        private static RegisterRead Quiet(System.Func<long, uint> read)
        {
            return (long offset, out string message) =>
            {
                message = null;
                return read(offset);
            };
        }

        private static RegisterWrite Quiet(System.Action<long, uint> write)
        {
            return (offset, value) =>
            {
                write(offset, value);
                return null;
            };
        }

        public const int TlbEntries = 16;
        public const int DmaChannels = 2;
        public const int Dma24Initiator = 1;
        public const int Dma32Initiator = 2;
        // 1 GB/s: a 64 KiB copy takes 64 us of virtual time, so drivers see busy, then done.
        public const ulong DmaBandwidth = 1_000_000_000;
    }
}
