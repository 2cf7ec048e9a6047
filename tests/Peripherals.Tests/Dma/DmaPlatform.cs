using System;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.DMA;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.StandIn.Testing;
using RenodeFrameAlloc.Tests;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Peripherals.Tests.Dma
{
    // What a .repl would build: 32 MiB of RAM with a device hole at 0xF0_0000, a ScatterGatherDma
    // registered there, its channel lines wired to inputs 20.. of an interrupt controller.
    public sealed class DmaPlatform
    {
        public DmaPlatform(int channels = 2, int addressBits = 24, ulong bandwidth = 0, IIoTranslator translator = null,
            Func<VirtualTimeMachine, IIoTranslator> translatorFactory = null)
        {
            Ram = new PhysicalRam(new[]
            {
                new BusRange("low", 0, DeviceHoleBase),
                new BusRange("high", DeviceHoleEnd, RamEnd - DeviceHoleEnd)
            });
            Bus = new InMemoryBus(Ram);
            Machine = new VirtualTimeMachine(Bus);
            Dma = new ScatterGatherDma(Machine, channels: channels, addressBits: addressBits, bandwidth: bandwidth,
                translator: translator ?? translatorFactory?.Invoke(Machine), initiatorId: 5);
            Bus.Register(Dma, new BusRangeRegistration(DmaBase, (ulong)Dma.Size));
            Interrupts = new RecordingInterruptController();
            for(var i = 0; i < channels; i++)
            {
                Dma.Connections[i].Connect(Interrupts, FirstInterrupt + i);
            }
        }

        public uint ReadRegister(long offset)
        {
            return Bus.ReadDoubleWord(DmaBase + (ulong)offset);
        }

        // A CPU store to the DMA's registers, through the bus.
        public void WriteRegister(long offset, uint value)
        {
            Bus.WriteDoubleWord(DmaBase + (ulong)offset, value);
        }

        public void PutDescriptor(ulong at, ulong source, ulong destination, uint length, DmaDescriptorControl control, ulong next = 0)
        {
            Bus.WriteBytes(new DmaDescriptor(source, destination, length, control, next).ToBytes(), at);
        }

        public byte[] Fill(ulong address, int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            Bus.WriteBytes(data, address);
            return data;
        }

        public void Start(int channel, ulong descriptor)
        {
            WriteRegister(Channel(channel, DescriptorPointerLow), (uint)descriptor);
            WriteRegister(Channel(channel, DescriptorPointerHigh), (uint)(descriptor >> 32));
            WriteRegister(Channel(channel, Control), ControlStart | ControlInterruptEnable);
        }

        public uint Status(int channel) => ReadRegister(Channel(channel, DmaRegisterMap.Status));

        public DmaErrorCause Cause(int channel) => (DmaErrorCause)ReadRegister(Channel(channel, ErrorCause));

        public PhysicalRam Ram { get; }

        public InMemoryBus Bus { get; }

        public VirtualTimeMachine Machine { get; }

        public ScatterGatherDma Dma { get; }

        public RecordingInterruptController Interrupts { get; }

        public const ulong DeviceHoleBase = 0xF0_0000;
        public const ulong DeviceHoleEnd = 0xF2_0000;
        public const ulong DmaBase = 0xF0_0000;
        public const ulong TlbBase = 0xF1_0000;
        public const ulong RamEnd = 32UL << 20;
        public const int FirstInterrupt = 20;
    }
}
