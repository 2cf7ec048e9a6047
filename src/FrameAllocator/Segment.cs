using System;

namespace RenodeFrameAlloc.Frames
{
    // One physically contiguous piece of an allocation: what a DMA engine is programmed with.
    public readonly struct Segment : IEquatable<Segment>
    {
        public Segment(ulong address, ulong length)
        {
            Address = address;
            Length = length;
        }

        public ulong Address { get; }
        public ulong Length { get; }
        public ulong End => Address + Length;

        public bool Equals(Segment other)
        {
            return Address == other.Address && Length == other.Length;
        }

        public override bool Equals(object obj)
        {
            return obj is Segment other && Equals(other);
        }

        public override int GetHashCode()
        {
            return HashCode.Combine(Address, Length);
        }

        public static bool operator ==(Segment a, Segment b) => a.Equals(b);
        public static bool operator !=(Segment a, Segment b) => !a.Equals(b);

        public override string ToString()
        {
            return $"[0x{Address:X}, 0x{End:X})";
        }
    }
}
