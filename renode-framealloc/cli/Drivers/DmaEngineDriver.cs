using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // A reference driver for one channel of the scatter-gather DMA engine: it builds descriptor
    // chains in memory the engine can reach and drives the channel only through its registers.
    public sealed class DmaEngineDriver
    {
        // cpuMemory: what the driver writes descriptors through (the bus_dma layer's CPU view when
        // the checker watches); null = the bus's RAM.
        public DmaEngineDriver(DeviceBus bus, ulong registers, int channel, IPhysicalMemory cpuMemory = null)
        {
            this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
            this.registers = registers;
            cpu = cpuMemory ?? bus.Memory;
            channelBase = registers + ChannelBlock + (ulong)channel * ChannelStride;
        }

        // True when the block is a scatter-gather engine ("SGDM") with this channel.
        public bool Probe(int channel)
        {
            return bus.ReadDoubleWord(registers + IdOffset) == IdValue && channel < bus.ReadDoubleWord(registers + ChannelCountOffset);
        }

        // The engine's address window [Base, Last] from its WINDOW registers.
        public (ulong Base, ulong Last) ReadWindow()
        {
            return (ReadPair(registers + WindowBaseOffset), ReadPair(registers + WindowLastOffset));
        }

        // Writes copies as a chain of 32-byte descriptors at area (8-byte aligned, reachable by the
        // engine), each linked to the next, the last ending the chain with an interrupt. translate
        // sends both addresses of every descriptor through the TLB. Returns the bytes written.
        public int WriteChain(ulong area, IReadOnlyList<DmaCopy> copies, bool translate)
        {
            var bytes = new byte[copies.Count * DmaDescriptor.Size];
            for(var i = 0; i < copies.Count; i++)
            {
                var last = i == copies.Count - 1;
                var control = (last ? DmaDescriptorControl.EndOfChain | DmaDescriptorControl.InterruptOnCompletion : DmaDescriptorControl.None)
                    | (translate ? DmaDescriptorControl.TranslateSource | DmaDescriptorControl.TranslateDestination : DmaDescriptorControl.None);
                var next = last ? 0 : area + (ulong)((i + 1) * DmaDescriptor.Size);
                new DmaDescriptor(copies[i].Source, copies[i].Destination, copies[i].Length, control, next)
                    .Encode(bytes.AsSpan(i * DmaDescriptor.Size));
            }
            if(!cpu.TryWrite(area, bytes))
            {
                throw new InvalidOperationException($"descriptor area 0x{area:X} is not RAM");
            }
            return bytes.Length;
        }

        // Points the channel at chain and starts it with its interrupt enabled.
        public void Start(ulong chain)
        {
            bus.WriteDoubleWord(channelBase + DescriptorPointerOffset, (uint)chain);
            bus.WriteDoubleWord(channelBase + DescriptorPointerOffset + 4, (uint)(chain >> 32));
            bus.WriteDoubleWord(channelBase + ControlOffset, ControlStart | ControlInterruptEnable);
        }

        public DmaChannelState ReadState()
        {
            return new DmaChannelState(bus.ReadDoubleWord(channelBase + StatusOffset), bus.ReadDoubleWord(channelBase + ErrorCauseOffset),
                ReadPair(channelBase + BytesDoneOffset), bus.ReadDoubleWord(channelBase + DescriptorsDoneOffset), ReadPair(channelBase + FaultAddressOffset));
        }

        // Clears DONE, ERROR and DESC_IRQ (write 1 to clear), dropping the channel's interrupt.
        public void Acknowledge()
        {
            bus.WriteDoubleWord(channelBase + StatusOffset, StatusDone | StatusError | StatusDescriptorInterrupt);
        }

        private ulong ReadPair(ulong address)
        {
            return bus.ReadDoubleWord(address) | ((ulong)bus.ReadDoubleWord(address + 4) << 32);
        }

        private readonly DeviceBus bus;
        private readonly ulong registers;
        private readonly ulong channelBase;
        private readonly IPhysicalMemory cpu;

        private const uint IdValue = 0x5347444D;
        private const ulong IdOffset = 0x00;
        private const ulong ChannelCountOffset = 0x08;
        private const ulong WindowBaseOffset = 0x10;
        private const ulong WindowLastOffset = 0x18;
        private const ulong ChannelBlock = 0x100;
        private const ulong ChannelStride = 0x40;
        private const ulong DescriptorPointerOffset = 0x00;
        private const ulong ControlOffset = 0x08;
        private const ulong StatusOffset = 0x0C;
        private const ulong ErrorCauseOffset = 0x10;
        private const ulong BytesDoneOffset = 0x14;
        private const ulong DescriptorsDoneOffset = 0x24;
        private const ulong FaultAddressOffset = 0x28;
        private const uint ControlStart = 1;
        private const uint ControlInterruptEnable = 4;
        private const uint StatusDone = 2;
        private const uint StatusError = 4;
        private const uint StatusDescriptorInterrupt = 16;
    }
}
