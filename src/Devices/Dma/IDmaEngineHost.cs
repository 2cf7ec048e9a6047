namespace RenodeFrameAlloc.Devices.Dma
{
    // What a ScatterGatherDmaModel needs from whoever runs it (the Renode adapter, a test): virtual
    // time, interrupt lines and a log. Keeps the model free of emulator types.
    public interface IDmaEngineHost
    {
        // Call engine.OnWake(channel, ticket) after delayNanoseconds of virtual time. A stale ticket
        // is ignored by the engine, so the host never needs to cancel.
        void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket);

        // The channel's interrupt line changed level.
        void InterruptChanged(int channel, bool asserted);

        // Bad guest input or a stopped transfer, one line, for the emulator's log at warning level.
        void LogGuestError(string message);

        // The model caught an exception of its own and stopped a channel (InternalError): a bug to
        // report, for the log at error level.
        void LogInternalError(string message);
    }
}
