using System;

namespace Antmicro.Renode.Peripherals.CPU
{
    // Renode's register value: the raw value and its conversion to ulong (what the plugin reads
    // of a CPU's PC). Byte-array values, the other conversions and GetBytes are left out.
    public struct RegisterValue
    {
        public ulong RawValue { get; private set; }

        public uint Bits { get; private set; }

        public override string ToString()
        {
            return $"0x{RawValue.ToString("x")}";
        }

        public static implicit operator RegisterValue(ulong v)
        {
            return new RegisterValue { RawValue = v, Bits = 64 };
        }

        public static implicit operator ulong(RegisterValue v)
        {
            return v.RawValue;
        }

        public static RegisterValue Create(ulong rawValue, uint bits)
        {
            return new RegisterValue { RawValue = rawValue, Bits = bits };
        }
    }
}
