using System;
using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace RenodeFrameAlloc.Bench
{
    // A BenchmarkDotNet clock that reads the CPU time of the calling thread (Linux
    // CLOCK_THREAD_CPUTIME_ID), in nanoseconds. On a machine shared with other work, wall-clock
    // iterations include the time the benchmark thread waits for a core; this clock leaves it out.
    // What remains still carries the cache and TLB misses that other processes cause.
    public sealed class ThreadCpuClock : IClock
    {
        public string Title => "Thread CPU time (CLOCK_THREAD_CPUTIME_ID)";
        public bool IsAvailable => OperatingSystem.IsLinux();
        public Frequency Frequency => new Frequency(1e9);

        public long GetTimestamp()
        {
            if(clock_gettime(ThreadCpuTimeId, out var now) != 0)
            {
                throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
            }
            return now.Seconds * 1_000_000_000L + now.Nanoseconds;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int clock_gettime(int clockId, out TimeSpec time);

        private const int ThreadCpuTimeId = 3;

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
