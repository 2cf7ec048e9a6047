namespace RenodeFrameAlloc.BusDma
{
    // What a DmaChecker asks of the one who runs it (in Renode: the DmaCheckerDevice peripheral).
    // An object, not a delegate, so that a snapshot of the checker keeps it.
    public interface IDmaCheckerHost
    {
        // The program counter of the hart that runs now, or null when none does (a monitor access).
        ulong? CurrentProgramCounter { get; }

        // Called once per finding, after it was counted and retained.
        void OnFinding(DmaFinding finding);
    }
}
