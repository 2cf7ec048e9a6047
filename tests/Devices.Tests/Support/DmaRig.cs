using System;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Tests;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // A 24-bit engine on a 32 MiB bus:
    //   RAM [0, 0xE0_0000), hole [0xE0_0000, 0xE1_0000), RAM [0xE1_0000, 0xF0_0000),
    //   the engine's registers at 0xF0_0000 (a 4 KiB hole in RAM), RAM [0xF0_1000, 32 MiB).
    // The window is [0, 16 MiB), so RAM [16 MiB, 32 MiB) exists but is out of the engine's reach.
    public sealed class DmaRig
    {
        public DmaRig(int channels = 4, ulong bandwidth = 0, int maxChainLength = 64, IIoTranslator translator = null,
            DmaAddressWindow? window = null, bool bounceThroughBuffer = false)
        {
            Ram = new PhysicalRam(new[]
            {
                new BusRange("low", 0, HoleBase),
                new BusRange("mid", HoleBase + HoleSize, RegistersBase - (HoleBase + HoleSize)),
                new BusRange("high", RegistersBase + RegistersSize, RamEnd - (RegistersBase + RegistersSize))
            });
            Host = new DmaTestHost();
            IPhysicalMemory memory = bounceThroughBuffer ? new ReadWriteOnlyMemory(Ram) : Ram;
            Engine = new ScatterGatherDmaModel(memory, Host, channels, window ?? DmaAddressWindow.FromBits(24), bandwidth, maxChainLength, translator, initiatorId: 7);
            Engine.SetOwnRegisterRanges(new[] { (RegistersBase, RegistersSize) });
            Host.Engine = Engine;
        }

        public uint Read(long offset)
        {
            return Engine.ReadRegister(offset);
        }

        public void Write(long offset, uint value)
        {
            Engine.WriteRegister(offset, value);
        }

        public uint ChannelRead(int channel, long register)
        {
            return Read(Channel(channel, register));
        }

        public void ChannelWrite(int channel, long register, uint value)
        {
            Write(Channel(channel, register), value);
        }

        public void PutDescriptor(ulong at, ulong source, ulong destination, uint length, DmaDescriptorControl control, ulong next = 0)
        {
            Ram.Write(at, new DmaDescriptor(source, destination, length, control, next).ToBytes());
        }

        // Points channel at descriptor and writes START, with interrupts enabled unless told otherwise.
        public void Start(int channel, ulong descriptor, bool interruptEnable = true)
        {
            ChannelWrite(channel, DescriptorPointerLow, (uint)descriptor);
            ChannelWrite(channel, DescriptorPointerHigh, (uint)(descriptor >> 32));
            ChannelWrite(channel, Control, ControlStart | (interruptEnable ? ControlInterruptEnable : 0));
        }

        public byte[] Fill(ulong address, int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            Ram.Write(address, data);
            return data;
        }

        public uint Status(int channel) => ChannelRead(channel, DmaRegisterMap.Status);

        public DmaErrorCause Cause(int channel) => (DmaErrorCause)ChannelRead(channel, ErrorCause);

        public ulong BytesDone(int channel) => ChannelRead(channel, BytesDoneLow) | ((ulong)ChannelRead(channel, BytesDoneHigh) << 32);

        public ulong FaultAddress(int channel) => ChannelRead(channel, FaultAddressLow) | ((ulong)ChannelRead(channel, FaultAddressHigh) << 32);

        public ulong CurrentDescriptor(int channel) => ChannelRead(channel, CurrentDescriptorLow) | ((ulong)ChannelRead(channel, CurrentDescriptorHigh) << 32);

        public PhysicalRam Ram { get; }

        public DmaTestHost Host { get; }

        public ScatterGatherDmaModel Engine { get; }

        public const ulong HoleBase = 0xE0_0000;
        public const ulong HoleSize = 0x1_0000;
        public const ulong RegistersBase = 0xF0_0000;
        public const ulong RegistersSize = 0x1000;
        public const ulong WindowEnd = 16UL << 20;
        public const ulong RamEnd = 32UL << 20;
    }
}
