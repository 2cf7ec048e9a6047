using System;
using System.Numerics;

namespace Antmicro.Renode.Time
{
    // A span of virtual time; one tick is one nanosecond, as in Renode.
    public struct TimeInterval : IComparable<TimeInterval>, IEquatable<TimeInterval>,
        IAdditionOperators<TimeInterval, TimeInterval, TimeInterval>,
        ISubtractionOperators<TimeInterval, TimeInterval, TimeInterval>,
        IComparisonOperators<TimeInterval, TimeInterval, bool>,
        IEqualityOperators<TimeInterval, TimeInterval, bool>,
        IMultiplyOperators<TimeInterval, ulong, TimeInterval>,
        IMultiplyOperators<TimeInterval, double, TimeInterval>,
        IDivisionOperators<TimeInterval, ulong, TimeInterval>,
        IDivisionOperators<TimeInterval, double, TimeInterval>
    {
        public static TimeInterval Min(TimeInterval t1, TimeInterval t2)
        {
            return (t1.ticks <= t2.ticks) ? t1 : t2;
        }

        public static TimeInterval FromNanoseconds(ulong v)
        {
            return FromTicks(v * TicksPerNanosecond);
        }

        public static TimeInterval FromMicroseconds(ulong v)
        {
            return FromTicks(v * TicksPerMicrosecond);
        }

        public static TimeInterval FromMilliseconds(ulong v)
        {
            return FromTicks(v * TicksPerMillisecond);
        }

        public static TimeInterval FromMilliseconds(float v)
        {
            return FromTicks((ulong)(v * TicksPerMillisecond));
        }

        public static TimeInterval FromSeconds(ulong v)
        {
            return FromTicks(v * TicksPerSecond);
        }

        public static TimeInterval FromSeconds(float v)
        {
            return FromTicks((ulong)(v * TicksPerSecond));
        }

        public static TimeInterval FromSeconds(double v)
        {
            return FromTicks((ulong)(v * TicksPerSecond));
        }

        public static TimeInterval FromMinutes(ulong v)
        {
            return FromSeconds(v * 60);
        }

        public static TimeInterval FromMinutes(float v)
        {
            return FromSeconds(v * 60);
        }

        public static TimeInterval FromTicks(ulong ticks)
        {
            return new TimeInterval(ticks);
        }

        public static TimeInterval FromTimeSpan(TimeSpan span)
        {
            return FromNanoseconds(((ulong)span.Ticks) * 100);
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

        public static TimeInterval operator *(TimeInterval t, double n)
        {
            return new TimeInterval(checked((ulong)(t.ticks * n)));
        }

        public static TimeInterval operator *(TimeInterval t, ulong n)
        {
            return new TimeInterval(checked(t.ticks * n));
        }

        public static TimeInterval operator /(TimeInterval t, double n)
        {
            return new TimeInterval(checked((ulong)(t.ticks / n)));
        }

        public static TimeInterval operator /(TimeInterval t, ulong n)
        {
            return new TimeInterval(checked(t.ticks / n));
        }

        public static readonly TimeInterval Empty = FromTicks(0);
        public static readonly TimeInterval Maximal = FromTicks(ulong.MaxValue);

        public int CompareTo(TimeInterval other)
        {
            return ticks.CompareTo(other.ticks);
        }

        public TimeSpan ToTimeSpan()
        {
            return TimeSpan.FromTicks((long)ticks / 100);
        }

        public override bool Equals(object obj)
        {
            return (obj is TimeInterval ts) && this.ticks == ts.ticks;
        }

        public bool Equals(TimeInterval ts)
        {
            return this.ticks == ts.ticks;
        }

        public override int GetHashCode()
        {
            return (int)ticks;
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

        public const ulong TicksPerSecond = TicksPerMillisecond * 1000;
        public const ulong TicksPerMillisecond = TicksPerMicrosecond * 1000;
        public const ulong TicksPerMicrosecond = TicksPerNanosecond * 1000;
        public const ulong TicksPerNanosecond = 1;

        private TimeInterval(ulong ticks)
        {
            this.ticks = ticks;
        }

        private readonly ulong ticks;
    }
}
