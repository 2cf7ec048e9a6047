namespace RenodeFrameAlloc.BusDma
{
    // Where DmaCheckerDeviceModel asks to see the hart's accesses to the buffers of loaded maps
    // (in Renode: watchpoints on the system bus), reported back through OnCpuAccess. Calls pair up:
    // every Watch is matched by an Unwatch of the same range.
    public interface ICpuAccessWatch
    {
        void Watch(ulong address, ulong length);

        void Unwatch(ulong address, ulong length);
    }
}
