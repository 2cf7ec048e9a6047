using System;

namespace RenodeFrameAlloc.Devices.Registers
{
    // How the guest may access a register field (the Access column of the docs' register tables).
    [Flags]
    public enum FieldMode
    {
        // Reads show the field; without Read the field reads 0 (write-only).
        Read = 1,
        // A write stores the written bits through the field's write callback.
        Write = 2,
        // A write of 1 to a bit clears it: the write callback gets the bits written as 1, and is
        // not called when there are none.
        WriteOneToClear = 4,
        ReadWrite = Read | Write
    }
}
