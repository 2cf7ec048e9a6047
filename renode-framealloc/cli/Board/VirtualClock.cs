using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Cli.Board
{
    // The embedded host's virtual time: device models schedule wakes, and the CPU side lets time
    // pass by firing the earliest one. Nothing runs on another thread; equal times fire in the
    // order they were scheduled.
    public sealed class VirtualClock
    {
        public VirtualClock()
        {
            pending = new PriorityQueue<Action, (ulong, long)>();
        }

        public ulong NowNanoseconds { get; private set; }

        public bool HasPending => pending.Count > 0;

        public void Schedule(ulong delayNanoseconds, Action wake)
        {
            var due = delayNanoseconds > ulong.MaxValue - NowNanoseconds ? ulong.MaxValue : NowNanoseconds + delayNanoseconds;
            pending.Enqueue(wake, (due, order++));
        }

        // Moves time to the earliest wake and runs it. False when nothing is scheduled.
        public bool FireNext()
        {
            if(!pending.TryDequeue(out var wake, out var key))
            {
                return false;
            }
            NowNanoseconds = Math.Max(NowNanoseconds, key.Item1);
            wake();
            return true;
        }

        private long order;
        private readonly PriorityQueue<Action, (ulong, long)> pending;
    }
}
