using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Devices.Registers
{
    // A 32-bit register, or a 64-bit one that the guest sees as a LO/HI pair of 32-bit registers,
    // declared as fields in the manner of Renode's register framework. Field callbacks take the
    // device and the register's repetition index (the channel of a per-channel block, else 0).
    // Built once, when a RegisterTable is built; immutable afterwards.
    public sealed class Register<TDevice>
    {
        internal Register(string name, long offset, int width, ulong? resetValue)
        {
            Name = name;
            Offset = offset;
            Width = width;
            ResetValue = resetValue;
            fields = new List<RegisterField<TDevice>>();
        }

        // A field of width bits at position. read gives the field's value (unshifted); write
        // stores a new one (for WriteOneToClear: is given the bits written as 1). writableBits,
        // relative to the field: bits a write may change (the others keep their value).
        public Register<TDevice> WithValueField(int position, int width, FieldMode mode, Func<TDevice, int, ulong> read = null,
            Action<TDevice, int, ulong> write = null, string name = null, ulong writableBits = ulong.MaxValue)
        {
            if(width < 1 || position < 0 || position + width > Width)
            {
                throw new ArgumentOutOfRangeException(nameof(width), $"field [{position}, +{width}) does not fit {Name}");
            }
            var field = new RegisterField<TDevice>(name, position, width, mode, read, write, writableBits);
            foreach(var other in fields)
            {
                if((other.Mask & field.Mask) != 0)
                {
                    throw new ArgumentException($"field {name} of {Name} overlaps field {other.Name}");
                }
            }
            fields.Add(field);
            return this;
        }

        // A one-bit field.
        public Register<TDevice> WithFlag(int position, FieldMode mode, Func<TDevice, int, bool> read = null,
            Action<TDevice, int, bool> write = null, string name = null)
        {
            return WithValueField(position, 1, mode,
                read == null ? null : (device, index) => read(device, index) ? 1UL : 0UL,
                write == null ? null : (device, index, value) => write(device, index, value != 0),
                name);
        }

        // Bits that read 0 and ignore writes; declared so the register reads like its table in the docs.
        public Register<TDevice> WithReservedBits(int position, int width)
        {
            return this;
        }

        // Called after the fields took a write, with the 32 bits the guest wrote: for registers whose
        // fields act together (a command with its operands, START and ABORT in one write).
        public Register<TDevice> WithWriteCallback(Action<TDevice, int, uint> callback)
        {
            writeCallback = callback ?? throw new ArgumentNullException(nameof(callback));
            return this;
        }

        public string Name { get; }

        // Offset of the register (of its LO half for 64 bits) in the first repetition.
        public long Offset { get; }

        // 32, or 64 for a LO/HI pair.
        public int Width { get; }

        // The value Reset stores through the fields' write callbacks; null: Reset leaves the
        // register alone (its fields show state the device resets itself, or none).
        public ulong? ResetValue { get; }

        // Whether a guest write reaches anything; a write to a register that is not writable is
        // refused through the table's UnknownOffsetPolicy.
        public bool IsWritable
        {
            get
            {
                if(writeCallback != null)
                {
                    return true;
                }
                foreach(var field in fields)
                {
                    if(field.IsWritable)
                    {
                        return true;
                    }
                }
                return false;
            }
        }

        internal ulong Read(TDevice device, int index)
        {
            var value = 0UL;
            foreach(var field in fields)
            {
                value |= field.Read(device, index);
            }
            return value;
        }

        // half: 0 for bits 31:0, 1 for bits 63:32 (of a 64-bit register).
        internal void Write(TDevice device, int index, int half, uint value)
        {
            var shift = 32 * half;
            var halfMask = 0xFFFFFFFFUL << shift;
            var written = (ulong)value << shift;
            foreach(var field in fields)
            {
                field.Write(device, index, written, halfMask);
            }
            writeCallback?.Invoke(device, index, value);
        }

        internal void Reset(TDevice device, int index)
        {
            if(ResetValue == null)
            {
                return;
            }
            foreach(var field in fields)
            {
                field.Reset(device, index, ResetValue.Value);
            }
        }

        private Action<TDevice, int, uint> writeCallback;
        private readonly List<RegisterField<TDevice>> fields;
    }
}
