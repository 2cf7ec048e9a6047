using System;
using System.Collections.Generic;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Time;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals;
using RenodeFrameAlloc.Devices.Dma;

namespace Antmicro.Renode.Peripherals.DMA
{
    // Renode peripheral over RenodeFrameAlloc.Devices.Dma.ScatterGatherDmaModel: a scatter-gather DMA
    // engine with one interrupt line per channel (registers and descriptor format in
    // docs/dma-engine.md). In a .repl:
    //     dma: DMA.ScatterGatherDma @ sysbus 0x10030000
    //         channels: 4
    //         addressBits: 24            // reaches [0, 16 MiB) only
    //         bandwidth: 100000000       // bytes per second of virtual time; 0 = instant
    //         translator: iotlb          // optional: descriptors with TRANSLATE bits go through it
    //         initiatorId: 3
    //         checker: dmacheck          // optional: the DMA checker sees every access
    //         0 -> plic@20
    //         1 -> plic@21
    // Monitor: `dma ChannelState` prints a table of the channels.
    //
    // No exception leaves a register access, a reset or a scheduled completion: EntryPointBoundary
    // logs it at error level and the channel concerned stops with ERROR_CAUSE InternalError.
    // Snapshots: state in the model's plain fields; the bus view is [Transient] and rebuilt in the
    // one [LatePostDeserialization] hook.
    public class ScatterGatherDma : IDoubleWordPeripheral, IKnownSize, INumberedGPIOOutput, IModelAdapter
    {
        // channels: 1..32. addressBits: width of the engine's bus addresses (1..64); the window is
        // [windowBase, 2^addressBits), or [windowBase, windowBase + windowSize) when windowSize is
        // given. bandwidth: bytes per second (0 = transfers complete within the START write).
        // maxChainLength: descriptors per chain before ChainTooLong. translator: the IOMMU, if any.
        // checker: the DMA checker told of every access the engine makes (after translation); it
        // learns the engine's reach from the window (none when the engine has a translator).
        public ScatterGatherDma(IMachine machine, int channels = 4, int addressBits = 32, ulong windowBase = 0, ulong windowSize = 0,
            ulong bandwidth = 0, int maxChainLength = ScatterGatherDmaModel.DefaultMaxChainLength, IIoTranslator translator = null, int initiatorId = 0,
            Antmicro.Renode.Peripherals.Miscellaneous.DmaCheckerDevice checker = null)
        {
            this.machine = machine ?? throw new ConstructionException("ScatterGatherDma needs a machine");
            this.checker = checker;
            try
            {
                var window = windowSize != 0
                    ? DmaAddressWindow.FromBaseAndSize(windowBase, windowSize)
                    : new DmaAddressWindow(windowBase, DmaAddressWindow.FromBits(addressBits).Last);
                memory = new SystemBusMemory(machine.GetSystemBus(this), machine);
                if(checker != null)
                {
                    memory.Watch(checker, this);
                    // The engine drives only addresses in its window; a translated piece lands
                    // where the translator maps it (our TLB: anywhere), so then there is no bound.
                    var unbounded = translator != null || window.Last == ulong.MaxValue;
                    checker.RegisterEngineReach(this, window.Base, unbounded ? 0 : window.Last + 1, unbounded);
                }
                engine = new ScatterGatherDmaModel(memory, this, channels, window, bandwidth, maxChainLength, translator, initiatorId);
            }
            catch(ArgumentException e)
            {
                throw new ConstructionException($"ScatterGatherDma: {e.Message}", e);
            }
            var lines = new Dictionary<int, IGPIO>();
            for(var i = 0; i < channels; i++)
            {
                lines[i] = new GPIO();
            }
            Connections = lines;
        }

        public void Reset()
        {
            try
            {
                engine.Reset();
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "reset", e);
            }
            foreach(var line in Connections.Values)
            {
                line.Unset();
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            try
            {
                return engine.ReadRegister(offset);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"read of offset 0x{offset:X}", e, engine.ChannelOfRegister(offset));
                return 0;
            }
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            try
            {
                if(!ownRangesKnown)
                {
                    LearnOwnRanges();
                }
                // A START may copy a whole chain: its translation-block invalidations are batched
                // and done before the write returns to the CPU.
                memory.BeginBatch();
                try
                {
                    engine.WriteRegister(offset, value);
                }
                finally
                {
                    memory.EndBatch();
                }
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"write of 0x{value:X} to offset 0x{offset:X}", e, engine.ChannelOfRegister(offset));
            }
        }

        // Monitor command: one row per channel with what its registers show.
        public string[,] ChannelState()
        {
            var table = new string[engine.ChannelCount + 1, 9];
            var header = new[] { "Channel", "Phase", "Status", "Error cause", "Bytes done", "Descriptors", "Current descriptor", "Fault address", "IRQ" };
            for(var column = 0; column < header.Length; column++)
            {
                table[0, column] = header[column];
            }
            for(var i = 0; i < engine.ChannelCount; i++)
            {
                var channel = engine.GetChannel(i);
                table[i + 1, 0] = i.ToString();
                table[i + 1, 1] = channel.Phase.ToString();
                table[i + 1, 2] = channel.Status.ToString();
                table[i + 1, 3] = channel.ErrorCause.ToString();
                table[i + 1, 4] = channel.BytesDone.ToString();
                table[i + 1, 5] = channel.DescriptorsDone.ToString();
                table[i + 1, 6] = $"0x{channel.CurrentDescriptor:X}";
                table[i + 1, 7] = $"0x{channel.FaultAddress:X}";
                table[i + 1, 8] = channel.InterruptAsserted ? "asserted" : (channel.InterruptEnabled ? "enabled" : "disabled");
            }
            return table;
        }

        public IReadOnlyDictionary<int, IGPIO> Connections { get; }

        public long Size => engine.RegisterSpaceSize;

        // Bytes per second of virtual time; 0 = instant. Applies from the next descriptor on.
        public ulong Bandwidth
        {
            get => engine.BandwidthBytesPerSecond;
            set => engine.BandwidthBytesPerSecond = value;
        }

        // With bandwidth 0, the bytes and descriptors one register write (or wake) may copy before
        // the rest of the chain continues in steps scheduled on virtual time (no virtual time
        // passes; the emulator runs in between). Monitor: `dma ChainStepBytes 0x1000000`.
        public ulong ChainStepBytes
        {
            get => engine.ChainStepBytes;
            set => engine.ChainStepBytes = value;
        }

        public int ChainStepDescriptors
        {
            get => engine.ChainStepDescriptors;
            set => engine.ChainStepDescriptors = value;
        }

        public ScatterGatherDmaModel Model => engine;

        void IDeviceHost.ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            // A wake of no virtual time (the engine's step bound) would run at once, inside the
            // write that asked for it: the clock's smallest step (1 ns) lets the emulator run first.
            machine.ScheduleAction(TimeInterval.FromNanoseconds(Math.Max(1, delayNanoseconds)), _ => Wake(channel, ticket), $"dma channel {channel}");
        }

        void IDeviceHost.SetLine(int line, bool asserted)
        {
            if(Connections.TryGetValue(line, out var gpio))
            {
                gpio.Set(asserted);
            }
        }

        void IDeviceHost.LogGuestError(string message)
        {
            this.Log(LogLevel.Warning, message);
        }

        void IDeviceHost.LogInternalError(string message)
        {
            this.Log(LogLevel.Error, message);
        }

        // Software sees the failure (ERROR_CAUSE InternalError, interrupt) rather than a hang.
        void IModelAdapter.ReactToInternalError(int channel)
        {
            engine.StopWithInternalError(channel);
        }

        private void Wake(int channel, ulong ticket)
        {
            try
            {
                memory.BeginBatch();
                try
                {
                    engine.OnWake(channel, ticket);
                }
                finally
                {
                    memory.EndBatch();
                }
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"completing a transfer on channel {channel}", e, channel);
            }
        }

        // Tells the model where its registers are so it refuses descriptors and data that overlap
        // them. Registration happens after construction, so this runs at the first write.
        private void LearnOwnRanges()
        {
            var ranges = new List<(ulong, ulong)>();
            foreach(var registered in machine.SystemBus.GetRegisteredPeripherals())
            {
                if(ReferenceEquals(registered.Peripheral, this))
                {
                    ranges.Add((registered.RegistrationPoint.Range.StartAddress, registered.RegistrationPoint.Range.Size));
                }
            }
            engine.SetOwnRegisterRanges(ranges);
            ownRangesKnown = true;
        }

        // Late: during [PostDeserialization] Renode's machine has not restored its bus controllers
        // yet (GetSystemBus fails), nor is its clock ready to take the re-issued wakes.
        [LatePostDeserialization]
        private void RebuildAfterLoad()
        {
            try
            {
                memory = new SystemBusMemory(machine.GetSystemBus(this), machine);
                if(checker != null)
                {
                    memory.Watch(checker, this);
                }
                engine.Rebind(memory, this);
                ownRangesKnown = false;
                engine.ReissueWakes();
            }
            catch(Exception e)
            {
                // A failed hook must not fail the whole snapshot load; the channels can be aborted.
                EntryPointBoundary.Contain(this, "the rebuild after a snapshot load", e);
            }
        }

        // A view of the bus, rebuilt after a snapshot load rather than serialized.
        [Transient]
        private SystemBusMemory memory;
        // Where this peripheral's registers are; relearned after a load (the platform may differ).
        [Transient]
        private bool ownRangesKnown;

        private readonly IMachine machine;
        private readonly ScatterGatherDmaModel engine;
        private readonly Antmicro.Renode.Peripherals.Miscellaneous.DmaCheckerDevice checker;
    }
}
