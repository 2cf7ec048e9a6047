namespace RenodeFrameAlloc.BusDma
{
    public enum DmaCheckerMode
    {
        Off = 0,
        // Findings only; CPU and device see the same memory.
        Coherent = 1,
        // Findings, and missing syncs also show in the data: CPU writes reach the device only at
        // PREWRITE (or PREREAD), device writes reach the CPU only after POSTREAD. See DmaChecker.
        NonCoherent = 2
    }
}
