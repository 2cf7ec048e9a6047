using System;

namespace Antmicro.Renode.Time
{
    // A span of virtual time; one tick is one nanosecond, as in Renode.
    public struct TimeInterval : IComparable<TimeInterval>, IEquatable<TimeInterval>
    {
        public static TimeInterval FromNanoseconds(ulong v)
        {
            return FromTicks(checked(v * TicksPerNanosecond));
        }

        public static TimeInterval FromMicroseconds(ulong v)
        {
            return FromTicks(checked(v * TicksPerMicrosecond));
        }

        public static TimeInterval FromMilliseconds(ulong v)
        {
            return FromTicks(checked(v * TicksPerMillisecond));
        }

        public static TimeInterval FromSeconds(ulong v)
        {
            return FromTicks(checked(v * TicksPerSecond));
        }

        public static TimeInterval FromSeconds(double v)
        {
            return FromTicks((ulong)(v * TicksPerSecond));
        }

        public static TimeInterval FromTicks(ulong ticks)
        {
            return new TimeInterval(ticks);
        }

        public static TimeInterval Min(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks <= t2.ticks ? t1 : t2;
        }

        public static TimeInterval operator +(TimeInterval t1, TimeInterval t2)
        {
            return new TimeInterval(checked(t1.ticks + t2.ticks));
        }

        public static TimeInterval operator -(TimeInterval t1, TimeInterval t2)
        {
            return new TimeInterval(checked(t1.ticks - t2.ticks));
        }

        public static bool operator <(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks < t2.ticks;
        }

        public static bool operator >(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks > t2.ticks;
        }

        public static bool operator <=(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks <= t2.ticks;
        }

        public static bool operator >=(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks >= t2.ticks;
        }

        public static bool operator ==(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks == t2.ticks;
        }

        public static bool operator !=(TimeInterval t1, TimeInterval t2)
        {
            return t1.ticks != t2.ticks;
        }

        public int CompareTo(TimeInterval other)
        {
            return ticks.CompareTo(other.ticks);
        }

        public bool Equals(TimeInterval other)
        {
            return ticks == other.ticks;
        }

        public override bool Equals(object obj)
        {
            return obj is TimeInterval other && Equals(other);
        }

        public override int GetHashCode()
        {
            return ticks.GetHashCode();
        }

        public override string ToString()
        {
            var decimals = ticks % TicksPerSecond;
            var seconds = (long)(ticks / TicksPerSecond);
            var hours = Math.DivRem(seconds, 3600, out seconds);
            var minutes = Math.DivRem(seconds, 60, out seconds);
            return $"{hours:00}:{minutes:00}:{seconds:00}.{decimals:000000000}";
        }

        public ulong Ticks => ticks;

        public ulong TotalNanoseconds => ticks / TicksPerNanosecond;

        public double TotalMicroseconds => ticks / (double)TicksPerMicrosecond;

        public double TotalMilliseconds => ticks / (double)TicksPerMillisecond;

        public double TotalSeconds => ticks / (double)TicksPerSecond;

        public static readonly TimeInterval Empty = FromTicks(0);
        public static readonly TimeInterval Maximal = FromTicks(ulong.MaxValue);

        public const ulong TicksPerNanosecond = 1;
        public const ulong TicksPerMicrosecond = TicksPerNanosecond * 1000;
        public const ulong TicksPerMillisecond = TicksPerMicrosecond * 1000;
        public const ulong TicksPerSecond = TicksPerMillisecond * 1000;

        private TimeInterval(ulong ticks)
        {
            this.ticks = ticks;
        }

        private readonly ulong ticks;
    }
}
