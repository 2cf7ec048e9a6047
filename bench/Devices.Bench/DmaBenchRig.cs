using System;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Bench
{
    // One instant-mode ScatterGatherDmaModel over 64 MiB of RAM with a one-descriptor chain that
    // copies Size bytes from SourceAddress to DestinationAddress. Pass a translator and the
    // TRANSLATE bits to measure the same copy through an IOMMU (the caller maps the pages).
    public sealed class DmaBenchRig : IDeviceHost
    {
        public DmaBenchRig(int size, IIoTranslator translator = null, DmaDescriptorControl translateBits = DmaDescriptorControl.None)
        {
            Size = size;
            Ram = new PhysicalRam(new[] { new BusRange("ram", 0, RamSize) });
            Engine = new ScatterGatherDmaModel(Ram, this, 1, DmaAddressWindow.FromBits(32), translator: translator);
            var data = new byte[size];
            new Random(1).NextBytes(data);
            Ram.Write(SourceAddress, data);
            // Touch the destination so the timed copies do not include first-write allocation.
            Ram.Write(DestinationAddress, new byte[size]);
            Ram.Write(DescriptorAddress, new DmaDescriptor(SourceAddress, DestinationAddress, (uint)size,
                DmaDescriptorControl.EndOfChain | translateBits, 0).ToBytes());
            Engine.WriteRegister(ChannelBase + DescriptorPointerLow, (uint)DescriptorAddress);
        }

        // Runs the whole chain (bandwidth 0: inside this call).
        public void Run()
        {
            Engine.WriteRegister(ChannelBase + Control, Start);
        }

        // Throws unless the last run completed and the destination equals the source.
        public void Verify()
        {
            var channel = Engine.GetChannel(0);
            if(channel.ErrorCause != DmaErrorCause.None || channel.BytesDone != (ulong)Size)
            {
                throw new InvalidOperationException($"DMA run failed: {channel}");
            }
            if(!Ram.Read(SourceAddress, Size).AsSpan().SequenceEqual(Ram.Read(DestinationAddress, Size)))
            {
                throw new InvalidOperationException("DMA destination differs from the source");
            }
        }

        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            throw new InvalidOperationException("the benchmark rig runs in instant mode");
        }

        public void SetLine(int line, bool asserted)
        {
        }

        public void LogGuestError(string message)
        {
            throw new InvalidOperationException(message);
        }

        public void LogInternalError(string message)
        {
            throw new InvalidOperationException(message);
        }

        public int Size { get; }

        public PhysicalRam Ram { get; }

        public ScatterGatherDmaModel Engine { get; }

        public const ulong RamSize = 64UL << 20;
        public const ulong DescriptorAddress = 0x1000;
        public const ulong SourceAddress = 1UL << 20;
        public const ulong DestinationAddress = 33UL << 20;

        private const long ChannelBase = 0x100;
        private const long DescriptorPointerLow = 0x00;
        private const long Control = 0x08;
        private const uint Start = 1;
    }
}
