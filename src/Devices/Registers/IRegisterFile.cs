namespace RenodeFrameAlloc.Devices.Registers
{
    // A device's registers as the bus sees them: 32-bit reads and writes at byte offsets. What an
    // adapter hands to EntryPointBoundary for its register accesses.
    public interface IRegisterFile
    {
        uint Read(long offset);

        void Write(long offset, uint value);
    }
}
