namespace RenodeFrameAlloc.Devices
{
    // What the hart TLB model drives on its host beyond every model's IDeviceHost (the log; it has
    // no interrupt line and takes no time): the hart's address translation (Renode's external MMU
    // windows, ICPUWithExternalMmu, in the adapter; a recording fake in tests) and the trap. Held
    // as an object reference (not delegates) so the model's state stays snapshot-friendly.
    public interface IHartTlbHost : IDeviceHost
    {
        // A new, empty window for every access type; returns its id.
        ulong AcquireWindow();

        // Window id translates [start, end) (end exclusive, both 4 KiB-aligned) to start + addend
        // with the given rights.
        void SetWindow(ulong id, ulong start, ulong end, ulong addend, HartPermissions permissions);

        void ReleaseWindow(ulong id);

        // Drops the hart's cached translations of one 4 KiB page / of every page.
        void FlushPage(ulong virtualAddress);

        void FlushAll();

        // Makes the access being translated trap precisely with the given RISC-V exception code
        // (mcause) once the translation reports failure (Renode: TranslationCPU.RaiseException
        // from inside the fault hook).
        void RaiseException(uint exceptionCode);

        // The hart's id for the fault block.
        uint HartId { get; }
    }
}
