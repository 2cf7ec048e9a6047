using Antmicro.Renode.Logging;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // One line a peripheral logged through the stand-in Logger.
    public sealed class CapturedLogEntry
    {
        public CapturedLogEntry(object source, LogLevel level, string message)
        {
            Source = source;
            Level = level;
            Message = message;
        }

        public override string ToString()
        {
            return $"{Level}: {Source?.GetType().Name ?? "-"}: {Message}";
        }

        public object Source { get; }

        public LogLevel Level { get; }

        public string Message { get; }
    }
}
