using System;

namespace RenodeFrameAlloc.Devices.Registers
{
    // One field of a Register: bits [Position, Position + Width) and the callbacks that bind it to
    // the device's state. The index passed to the callbacks is the register's repetition (the
    // channel of a per-channel block; 0 for a register defined once).
    internal sealed class RegisterField<TDevice>
    {
        internal RegisterField(string name, int position, int width, FieldMode mode, Func<TDevice, int, ulong> read,
            Action<TDevice, int, ulong> write, ulong writableBits)
        {
            Name = name;
            Position = position;
            Mask = (width == 64 ? ulong.MaxValue : (1UL << width) - 1) << position;
            Mode = mode;
            this.read = read;
            this.write = write;
            WritableMask = (writableBits << position) & Mask;
        }

        // The field's bits in the register.
        internal ulong Read(TDevice device, int index)
        {
            return (Mode & FieldMode.Read) == 0 || read == null ? 0 : (read(device, index) << Position) & Mask;
        }

        // written: the whole register as the write leaves it; half: the bits the access covered.
        internal void Write(TDevice device, int index, ulong written, ulong half)
        {
            if(write == null || (Mask & half) == 0)
            {
                return;
            }
            if((Mode & FieldMode.WriteOneToClear) != 0)
            {
                var ones = written & half & WritableMask;
                if(ones != 0)
                {
                    write(device, index, ones >> Position);
                }
                return;
            }
            if((Mode & FieldMode.Write) == 0)
            {
                return;
            }
            // Bits outside the access (the other half of a 64-bit register) and bits that are not
            // writable keep their value.
            var kept = read == null ? 0 : (read(device, index) << Position) & Mask & ~(half & WritableMask);
            write(device, index, (kept | (written & half & WritableMask)) >> Position);
        }

        // Stores the field's slice of the register's reset value (write-1-to-clear fields have no state of their own).
        internal void Reset(TDevice device, int index, ulong resetValue)
        {
            if(write != null && (Mode & FieldMode.WriteOneToClear) == 0)
            {
                write(device, index, (resetValue & Mask) >> Position);
            }
        }

        internal bool IsWritable => write != null && (Mode & (FieldMode.Write | FieldMode.WriteOneToClear)) != 0;

        internal string Name { get; }

        internal int Position { get; }

        internal ulong Mask { get; }

        internal ulong WritableMask { get; }

        internal FieldMode Mode { get; }

        private readonly Func<TDevice, int, ulong> read;
        private readonly Action<TDevice, int, ulong> write;
    }
}
