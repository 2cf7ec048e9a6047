using RenodeFrameAlloc.StandIn.Testing;

namespace Antmicro.Renode.Logging
{
    // Renode's entry points for logging, with Renode's signatures. Instead of Renode's backends the
    // stand-in records every entry in LogCapture so tests can assert that a guest error was logged.
    public static class Logger
    {
        public static void Log(LogLevel type, string message, params object[] args)
        {
            LogAs(null, type, message, args);
        }

        public static void DebugLog(this IEmulationElement e, string message)
        {
            Log(e, LogLevel.Debug, message);
        }

        public static void DebugLog(this IEmulationElement e, string message, params object[] args)
        {
            Log(e, LogLevel.Debug, message, args);
        }

        public static void NoisyLog(this IEmulationElement e, string message)
        {
            Log(e, LogLevel.Noisy, message);
        }

        public static void NoisyLog(this IEmulationElement e, string message, params object[] args)
        {
            Log(e, LogLevel.Noisy, message, args);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message)
        {
            LogAs(e, type, message, null);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message, params object[] args)
        {
            LogAs(e, type, message, args);
        }

        public static void LogAs(object o, LogLevel type, string message, params object[] args)
        {
            if(args?.Length > 0)
            {
                message = string.Format(message, args);
            }
            LogCapture.Record(o, type, message);
        }
    }
}
