namespace Antmicro.Renode.Peripherals.CPU
{
    // Renode's ICPUWithMappedMemory: the two members the DMA checker calls to take a page of the
    // hart's memory through the system bus (where access hooks see every load and store) and back.
    // Left out (nothing in the plugin implements it): mapping, access flags, broadcast dirty.
    public interface ICPUWithMappedMemory : ICPU
    {
        void SetPageAccessViaIo(ulong address);

        void ClearPageAccessViaIo(ulong address);
    }
}
