namespace RenodeFrameAlloc.Devices.Tlb
{
    // What the TLB model tells its host: the interrupt line level and guest errors worth a log
    // line. The Renode adapter implements it (GPIO and this.Log); tests record the calls.
    // Held as an object reference, not a delegate, so the model's state stays snapshot-friendly.
    public interface ITlbSignals
    {
        // Called only when the level changes.
        void SetInterrupt(bool asserted);

        // A guest programming error (bad register value, bad command) or a fault that dropped an access.
        void ReportGuestError(string message);
    }
}
