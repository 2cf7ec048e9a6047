using RenodeFrameAlloc.StandIn.Testing;

namespace Antmicro.Renode.Logging
{
    // Renode's entry points for logging, with Renode's signatures and overloads (a call binds to
    // the same one as in Renode). Instead of Renode's backends the stand-in records every entry in
    // LogCapture, formatted as Renode formats it (string.Format only when arguments are given), so
    // tests can assert that a guest error was logged.
    public static class Logger
    {
        public static void Log(LogLevel type, string message, params object[] args)
        {
            LogAs(null, type, message, args);
        }

        public static void Log(LogLevel type, string message)
        {
            LogAs(null, type, message);
        }

        public static void Log(LogLevel type, string message, object arg1)
        {
            LogAs(null, type, message, arg1);
        }

        public static void Log(LogLevel type, string message, object arg1, object arg2)
        {
            LogAs(null, type, message, arg1, arg2);
        }

        public static void Log(LogLevel type, string message, object arg1, object arg2, object arg3)
        {
            LogAs(null, type, message, arg1, arg2, arg3);
        }

        public static void DebugLog(this IEmulationElement e, string message, params object[] args)
        {
            LogAs(e, LogLevel.Debug, message, args);
        }

        public static void DebugLog(this IEmulationElement e, string message)
        {
            LogAs(e, LogLevel.Debug, message);
        }

        public static void DebugLog(this IEmulationElement e, string message, object arg1)
        {
            LogAs(e, LogLevel.Debug, message, arg1);
        }

        public static void DebugLog(this IEmulationElement e, string message, object arg1, object arg2)
        {
            LogAs(e, LogLevel.Debug, message, arg1, arg2);
        }

        public static void DebugLog(this IEmulationElement e, string message, object arg1, object arg2, object arg3)
        {
            LogAs(e, LogLevel.Debug, message, arg1, arg2, arg3);
        }

        public static void NoisyLog(this IEmulationElement e, string message, params object[] args)
        {
            LogAs(e, LogLevel.Noisy, message, args);
        }

        public static void NoisyLog(this IEmulationElement e, string message)
        {
            LogAs(e, LogLevel.Noisy, message);
        }

        public static void NoisyLog(this IEmulationElement e, string message, object arg1)
        {
            LogAs(e, LogLevel.Noisy, message, arg1);
        }

        public static void NoisyLog(this IEmulationElement e, string message, object arg1, object arg2)
        {
            LogAs(e, LogLevel.Noisy, message, arg1, arg2);
        }

        public static void NoisyLog(this IEmulationElement e, string message, object arg1, object arg2, object arg3)
        {
            LogAs(e, LogLevel.Noisy, message, arg1, arg2, arg3);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message, params object[] args)
        {
            LogAs(e, type, message, args);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message)
        {
            LogAs(e, type, message);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message, object arg1)
        {
            LogAs(e, type, message, arg1);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message, object arg1, object arg2)
        {
            LogAs(e, type, message, arg1, arg2);
        }

        public static void Log(this IEmulationElement e, LogLevel type, string message, object arg1, object arg2, object arg3)
        {
            LogAs(e, type, message, arg1, arg2, arg3);
        }

        public static void LogAs(object o, LogLevel type, string message, params object[] args)
        {
            if(args?.Length > 0)
            {
                message = string.Format(message, args);
            }
            LogCapture.Record(o, type, message);
        }

        public static void LogAs(object o, LogLevel type, string message)
        {
            LogCapture.Record(o, type, message);
        }

        public static void LogAs(object o, LogLevel type, string message, object arg1)
        {
            LogAs(o, type, message, new object[] { arg1 });
        }

        public static void LogAs(object o, LogLevel type, string message, object arg1, object arg2)
        {
            LogAs(o, type, message, new object[] { arg1, arg2 });
        }

        public static void LogAs(object o, LogLevel type, string message, object arg1, object arg2, object arg3)
        {
            LogAs(o, type, message, new object[] { arg1, arg2, arg3 });
        }
    }
}
