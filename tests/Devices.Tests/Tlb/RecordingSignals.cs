using System.Collections.Generic;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    // Stands for the Renode adapter: remembers the interrupt level, its changes and the log lines.
    public sealed class RecordingSignals : ITlbSignals
    {
        public void SetInterrupt(bool asserted)
        {
            Interrupt = asserted;
            InterruptChanges++;
        }

        public void ReportGuestError(string message)
        {
            Messages.Add(message);
        }

        public bool Interrupt { get; private set; }

        public int InterruptChanges { get; private set; }

        public List<string> Messages { get; } = new List<string>();
    }
}
