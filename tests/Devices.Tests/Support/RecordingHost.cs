using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Devices;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Stands for the Renode adapter of a model that takes no time (the TLB, the frame pool):
    // remembers the interrupt level of line 0, its changes and the log lines.
    public sealed class RecordingHost : IDeviceHost
    {
        public void SetLine(int line, bool asserted)
        {
            if(line != 0)
            {
                throw new InvalidOperationException($"line {line} set; these models have one line, 0");
            }
            Interrupt = asserted;
            InterruptChanges++;
        }

        public void LogGuestError(string message)
        {
            Messages.Add(message);
        }

        public void LogInternalError(string message)
        {
            Messages.Add(message);
            InternalErrors.Add(message);
        }

        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            throw new InvalidOperationException("a model that takes no time asked for a wake");
        }

        // The last line logged since count lines were, or null.
        public string LastMessageSince(int count)
        {
            return Messages.Count > count ? Messages[Messages.Count - 1] : null;
        }

        public bool Interrupt { get; private set; }

        public int InterruptChanges { get; private set; }

        public List<string> Messages { get; } = new List<string>();

        public List<string> InternalErrors { get; } = new List<string>();
    }
}
