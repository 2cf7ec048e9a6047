using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Devices.Registers
{
    // A device's register map, declared once per device type in the manner of Renode's register
    // framework: Define a register at an offset with its reset value and chain its fields; a
    // 64-bit value that the guest sees as LO/HI registers is declared once (DefineQuad); a
    // per-channel block is declared once for every channel (DefineMany). Read, Write and Reset
    // then do all the decoding, and refused accesses go to the device's UnknownOffsetPolicy.
    //
    // The table holds no device state: callbacks get the device, whose state stays in its own
    // plain fields. Built once per type (a static readonly field of the model) rather than per
    // instance, so no delegate ends up in a model's snapshot. Registers are 32-bit words at
    // 4-byte aligned offsets; a read or write allocates nothing.
    public sealed class RegisterTable<TDevice>
    {
        // maxSize: bytes of register space the table can describe. sizeOf: the register space of
        // one device (e.g. its channel count decides how many channel blocks exist); offsets at or
        // beyond it are unknown. null: maxSize for every device.
        public RegisterTable(long maxSize, UnknownOffsetPolicy<TDevice> policy, Func<TDevice, long> sizeOf = null)
        {
            if(maxSize <= 0 || maxSize % 4 != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxSize), "the register space is a positive number of 32-bit words");
            }
            this.policy = policy ?? throw new ArgumentNullException(nameof(policy));
            this.sizeOf = sizeOf;
            slots = new Slot[maxSize / 4];
            registers = new List<(Register<TDevice>, int, long)>();
        }

        // A 32-bit register at offset. resetValue: stored through its fields by Reset; null when the
        // register shows state the device resets itself.
        public Register<TDevice> Define(long offset, string name, uint? resetValue = null)
        {
            var register = new Register<TDevice>(name, offset, 32, resetValue);
            Place(register, offset, 0, 0, name);
            return register;
        }

        // A 64-bit register seen as two 32-bit ones: bits 31:0 at lowOffset (name_LO), bits 63:32
        // at lowOffset + 4 (name_HI). A write to either half changes only that half.
        public Register<TDevice> DefineQuad(long lowOffset, string name, ulong? resetValue = null)
        {
            var register = new Register<TDevice>(name, lowOffset, 64, resetValue);
            Place(register, lowOffset, 0, 0, name + "_LO");
            Place(register, lowOffset + 4, 0, 1, name + "_HI");
            return register;
        }

        // count copies of a 32-bit register, the i-th at firstOffset + i * stride; setup declares
        // the fields once and the callbacks get i. Per-channel blocks are one DefineMany per register.
        public void DefineMany(long firstOffset, long stride, int count, string name, Action<Register<TDevice>> setup, uint? resetValue = null)
        {
            var register = new Register<TDevice>(name, firstOffset, 32, resetValue);
            setup(register);
            for(var i = 0; i < count; i++)
            {
                Place(register, firstOffset + i * stride, i, 0, $"{name}[{i}]");
            }
        }

        // DefineMany for 64-bit LO/HI registers.
        public void DefineManyQuads(long firstLowOffset, long stride, int count, string name, Action<Register<TDevice>> setup, ulong? resetValue = null)
        {
            var register = new Register<TDevice>(name, firstLowOffset, 64, resetValue);
            setup(register);
            for(var i = 0; i < count; i++)
            {
                Place(register, firstLowOffset + i * stride, i, 0, $"{name}_LO[{i}]");
                Place(register, firstLowOffset + i * stride + 4, i, 1, $"{name}_HI[{i}]");
            }
        }

        public uint Read(TDevice device, long offset)
        {
            if(!TryFind(device, offset, out var slot))
            {
                policy.UnknownRead(device, offset);
                return 0;
            }
            return (uint)(slot.Register.Read(device, slot.Index) >> (32 * slot.Half));
        }

        public void Write(TDevice device, long offset, uint value)
        {
            if(!TryFind(device, offset, out var slot))
            {
                policy.UnknownWrite(device, offset, value);
                return;
            }
            if(!slot.Register.IsWritable)
            {
                policy.ReadOnlyWrite(device, slot.Name, value);
                return;
            }
            slot.Register.Write(device, slot.Index, slot.Half, value);
        }

        // Stores every register's reset value (those defined with one) through its fields, for
        // every repetition the device has.
        public void Reset(TDevice device)
        {
            foreach(var (register, index, lowOffset) in registers)
            {
                if(register.ResetValue != null && InSpace(device, lowOffset))
                {
                    register.Reset(device, index);
                }
            }
        }

        // Whether offset decodes to a register of device.
        public bool IsDefined(TDevice device, long offset)
        {
            return TryFind(device, offset, out _);
        }

        // half: which 32 bits of the register the word at offset holds (1: bits 63:32).
        private void Place(Register<TDevice> register, long offset, int index, int half, string name)
        {
            if(offset < 0 || offset % 4 != 0 || offset / 4 >= slots.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"{name} at 0x{offset:X} is not an aligned offset inside the table");
            }
            if(slots[offset / 4].Register != null)
            {
                throw new ArgumentException($"{name} at 0x{offset:X} overlaps {slots[offset / 4].Name}");
            }
            slots[offset / 4] = new Slot(register, index, half, name);
            if(half == 0)
            {
                registers.Add((register, index, offset));
            }
        }

        private bool TryFind(TDevice device, long offset, out Slot slot)
        {
            if(offset < 0 || (offset & 3) != 0 || (offset >> 2) >= slots.Length || !InSpace(device, offset))
            {
                slot = default;
                return false;
            }
            slot = slots[offset >> 2];
            return slot.Register != null;
        }

        private bool InSpace(TDevice device, long offset)
        {
            return sizeOf == null || offset < sizeOf(device);
        }

        private readonly Slot[] slots;
        // Every (register, repetition) once, with the offset of its first word, for Reset.
        private readonly List<(Register<TDevice> Register, int Index, long Offset)> registers;
        private readonly UnknownOffsetPolicy<TDevice> policy;
        private readonly Func<TDevice, long> sizeOf;

        private readonly struct Slot
        {
            public Slot(Register<TDevice> register, int index, int half, string name)
            {
                Register = register;
                Index = index;
                Half = half;
                Name = name;
            }

            public readonly Register<TDevice> Register;
            public readonly int Index;
            public readonly int Half;
            public readonly string Name;
        }
    }
}
