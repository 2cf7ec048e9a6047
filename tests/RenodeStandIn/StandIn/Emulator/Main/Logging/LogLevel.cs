using System;
using System.Linq;
using System.Reflection;
using Antmicro.Renode.Utilities;

namespace Antmicro.Renode.Logging
{
    // In Renode LogLevel is a class with static instances, not an enum: code writes LogLevel.Warning either way.
    [Convertible]
    public sealed class LogLevel : IEquatable<LogLevel>, IComparable<LogLevel>
    {
        static LogLevel()
        {
            AvailableLevels = typeof(LogLevel).GetFields(BindingFlags.Public | BindingFlags.Static).Where(x => x.FieldType.Equals(typeof(LogLevel)))
                .Select(x => (LogLevel)x.GetValue(null)).ToArray();
        }

        public static LogLevel[] AvailableLevels { get; private set; }

        public static LogLevel Noisy = new LogLevel(Level.Noisy);
        public static LogLevel Debug = new LogLevel(Level.Debug);
        public static LogLevel Info = new LogLevel(Level.Info, ConsoleColor.Green);
        public static LogLevel Warning = new LogLevel(Level.Warning, ConsoleColor.DarkYellow);
        public static LogLevel Error = new LogLevel(Level.Error, ConsoleColor.Red);

        public override string ToString()
        {
            return type.ToString().ToUpper();
        }

        public override bool Equals(object obj)
        {
            var log = obj as LogLevel;
            if(log != null)
            {
                return Equals(log);
            }
            return false;
        }

        public override int GetHashCode()
        {
            return type.GetHashCode();
        }

        public bool Equals(LogLevel other)
        {
            if(other != null)
            {
                return this.type == other.type;
            }
            return false;
        }

        public int CompareTo(LogLevel other)
        {
            return type.CompareTo(other.type);
        }

        public int NumericLevel { get; private set; }

        public ConsoleColor? Color { get; private set; }

        private LogLevel(Level type, ConsoleColor? color = null)
        {
            this.type = type;
            this.Color = color;
            NumericLevel = (int)type;
        }

        private readonly Level type;

        private enum Level
        {
            Noisy = -1,
            Debug = 0,
            Info = 1,
            Warning = 2,
            Error = 3
        }

        public static bool operator <(LogLevel first, LogLevel second)
        {
            return first.type < second.type;
        }

        public static bool operator <=(LogLevel first, LogLevel second)
        {
            return first.type <= second.type;
        }

        public static bool operator >(LogLevel first, LogLevel second)
        {
            return first.type > second.type;
        }

        public static bool operator >=(LogLevel first, LogLevel second)
        {
            return first.type >= second.type;
        }

        public static bool operator ==(LogLevel first, LogLevel second)
        {
            if(Object.ReferenceEquals(null, first) ^ Object.ReferenceEquals(null, second))
            {
                return false;
            }
            if(Object.ReferenceEquals(null, first) && Object.ReferenceEquals(null, second))
            {
                return true;
            }
            return first.type == second.type;
        }

        public static bool operator !=(LogLevel first, LogLevel second)
        {
            return !(first == second);
        }

        public static explicit operator int(LogLevel type)
        {
            return type.NumericLevel;
        }
    }
}
