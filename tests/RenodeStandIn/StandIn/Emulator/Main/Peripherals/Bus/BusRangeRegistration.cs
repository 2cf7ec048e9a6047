using Antmicro.Renode.Core.Structure;

using Range = Antmicro.Renode.Core.Range;

namespace Antmicro.Renode.Peripherals.Bus
{
    // Renode derives this from BusRegistration (initiator, state mask, condition); the stand-in
    // keeps the range and offset, which is all the adapters read.
    public class BusRangeRegistration : IRegistrationPoint
    {
        public BusRangeRegistration(Range range, ulong offset = 0)
        {
            Range = range;
            Offset = offset;
        }

        public BusRangeRegistration(ulong address, ulong size, ulong offset = 0) : this(new Range(address, size), offset)
        {
        }

        public static implicit operator BusRangeRegistration(Range range)
        {
            return new BusRangeRegistration(range);
        }

        public override string ToString()
        {
            return Offset == 0 ? Range.ToString() : $"{Range} with offset 0x{Offset:X}";
        }

        public string PrettyString => ToString();

        public Range Range { get; set; }

        public ulong Offset { get; set; }
    }
}
