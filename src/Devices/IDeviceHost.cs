namespace RenodeFrameAlloc.Devices
{
    // What a device model needs from whoever runs it (the Renode adapter, the demo board, a test):
    // a log, interrupt lines and virtual time. The one contract between every model and its host;
    // it keeps the models free of emulator types. Held as an object reference, not as delegates,
    // so a model's state stays snapshot-friendly.
    //
    // Models call it and do not catch what it throws; the host owns the exception boundary (in
    // Renode: RenodeFrameAlloc.Peripherals.EntryPointBoundary at each entry point).
    public interface IDeviceHost
    {
        // Bad guest input or a transfer the guest's data stopped, one line, for the log at warning level.
        void LogGuestError(string message);

        // A condition that is a bug of the model or the platform, not of the guest, for the log at error level.
        void LogInternalError(string message);

        // Interrupt line (0 for a device with one line, the channel for the DMA engine) changed level.
        // Called only when the level changes.
        void SetLine(int line, bool asserted);

        // Call the model's OnWake(channel, ticket) after delayNanoseconds of virtual time. A model
        // ignores a stale ticket, so the host never needs to cancel. Only models that take time
        // (the DMA engine with a bandwidth) call it.
        void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket);
    }
}
