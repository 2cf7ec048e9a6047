using System;

namespace Antmicro.Renode.Logging
{
    // In Renode LogLevel is a class with static instances, not an enum: code writes LogLevel.Warning either way.
    public sealed class LogLevel : IEquatable<LogLevel>
    {
        public static LogLevel Noisy = new LogLevel(-1, "NOISY");
        public static LogLevel Debug = new LogLevel(0, "DEBUG");
        public static LogLevel Info = new LogLevel(1, "INFO");
        public static LogLevel Warning = new LogLevel(2, "WARNING");
        public static LogLevel Error = new LogLevel(3, "ERROR");

        public override string ToString()
        {
            return name;
        }

        public bool Equals(LogLevel other)
        {
            return other is not null && other.NumericLevel == NumericLevel;
        }

        public override bool Equals(object obj)
        {
            return Equals(obj as LogLevel);
        }

        public override int GetHashCode()
        {
            return NumericLevel;
        }

        public static bool operator ==(LogLevel first, LogLevel second)
        {
            if(first is null || second is null)
            {
                return first is null && second is null;
            }
            return first.NumericLevel == second.NumericLevel;
        }

        public static bool operator !=(LogLevel first, LogLevel second)
        {
            return !(first == second);
        }

        public static bool operator <(LogLevel first, LogLevel second)
        {
            return first.NumericLevel < second.NumericLevel;
        }

        public static bool operator >(LogLevel first, LogLevel second)
        {
            return first.NumericLevel > second.NumericLevel;
        }

        public static bool operator <=(LogLevel first, LogLevel second)
        {
            return first.NumericLevel <= second.NumericLevel;
        }

        public static bool operator >=(LogLevel first, LogLevel second)
        {
            return first.NumericLevel >= second.NumericLevel;
        }

        public int NumericLevel { get; private set; }

        private LogLevel(int level, string name)
        {
            NumericLevel = level;
            this.name = name;
        }

        private readonly string name;
    }
}
