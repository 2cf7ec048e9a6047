using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Plays the emulator for a ScatterGatherDmaModel: a virtual clock that moves only in Advance,
    // the channels' interrupt lines and the log.
    public sealed class DmaTestHost : IDeviceHost
    {
        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            pending.Add((Now + delayNanoseconds, sequence++, channel, ticket));
            Scheduled++;
        }

        public void SetLine(int line, bool asserted)
        {
            lines[line] = asserted;
            InterruptEdges++;
        }

        public void LogGuestError(string message)
        {
            Log.Add(message);
        }

        public void LogInternalError(string message)
        {
            Log.Add(message);
            InternalErrors.Add(message);
        }

        // Moves virtual time forward, delivering every wake that falls due on the way.
        public void Advance(ulong nanoseconds)
        {
            var end = Now + nanoseconds;
            while(true)
            {
                var best = -1;
                for(var i = 0; i < pending.Count; i++)
                {
                    if(pending[i].Due <= end && (best < 0 || pending[i].Due < pending[best].Due
                        || (pending[i].Due == pending[best].Due && pending[i].Sequence < pending[best].Sequence)))
                    {
                        best = i;
                    }
                }
                if(best < 0)
                {
                    break;
                }
                var next = pending[best];
                pending.RemoveAt(best);
                Now = next.Due;
                Engine.OnWake(next.Channel, next.Ticket);
            }
            Now = end;
        }

        // Delivers the wakes due now that were asked for before this call, and not those they ask
        // for in turn: one emulator turn between steps of a chain (Renode runs other work first).
        public int DeliverDueWakes()
        {
            var due = pending.FindAll(w => w.Due <= Now);
            due.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            foreach(var wake in due)
            {
                pending.Remove(wake);
                Engine.OnWake(wake.Channel, wake.Ticket);
            }
            return due.Count;
        }

        public bool Line(int channel)
        {
            return lines.TryGetValue(channel, out var level) && level;
        }

        public bool Logged(string fragment)
        {
            return Log.Exists(line => line.Contains(fragment, StringComparison.Ordinal));
        }

        public ScatterGatherDmaModel Engine { get; set; }

        public ulong Now { get; private set; }

        public int Scheduled { get; private set; }

        public int PendingWakes => pending.Count;

        public int InterruptEdges { get; private set; }

        public List<string> Log { get; } = new List<string>();

        public List<string> InternalErrors { get; } = new List<string>();

        private long sequence;
        private readonly Dictionary<int, bool> lines = new Dictionary<int, bool>();
        private readonly List<(ulong Due, long Sequence, int Channel, ulong Ticket)> pending = new List<(ulong, long, int, ulong)>();
    }
}
