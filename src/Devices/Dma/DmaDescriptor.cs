using System;
using System.Buffers.Binary;

namespace RenodeFrameAlloc.Devices.Dma
{
    // One scatter-gather descriptor as it sits in guest memory: 32 bytes, little-endian, 8-byte aligned.
    //   0x00 SOURCE (64)  0x08 DESTINATION (64)  0x10 LENGTH (32)  0x14 CONTROL (32)  0x18 NEXT (64)
    public readonly struct DmaDescriptor
    {
        public DmaDescriptor(ulong source, ulong destination, uint length, DmaDescriptorControl control, ulong next)
        {
            Source = source;
            Destination = destination;
            Length = length;
            Control = control;
            Next = next;
        }

        // Decodes the 32 bytes at the start of bytes; bytes must hold at least Size bytes.
        public static DmaDescriptor Decode(ReadOnlySpan<byte> bytes)
        {
            return new DmaDescriptor(
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(0x00)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(0x08)),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(0x10)),
                (DmaDescriptorControl)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(0x14)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(0x18)));
        }

        // Writes the guest layout into the first Size bytes of destination (drivers, tests, the demo).
        public void Encode(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(0x00), Source);
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(0x08), Destination);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(0x10), Length);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(0x14), (uint)Control);
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(0x18), Next);
        }

        public byte[] ToBytes()
        {
            var bytes = new byte[Size];
            Encode(bytes);
            return bytes;
        }

        public override string ToString()
        {
            return $"src 0x{Source:X} dst 0x{Destination:X} len 0x{Length:X} ctl {Control} next 0x{Next:X}";
        }

        public ulong Source { get; }

        public ulong Destination { get; }

        public uint Length { get; }

        public DmaDescriptorControl Control { get; }

        public ulong Next { get; }

        public const int Size = 32;
        public const int Alignment = 8;
    }
}
