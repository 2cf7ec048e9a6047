using System;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Cli.Board
{
    // The software TLB's interrupt line and log on the embedded host.
    public sealed class TlbSignals : ITlbSignals
    {
        public TlbSignals(string name, Action<string> log)
        {
            this.name = name;
            this.log = log;
            Line = new InterruptLine(name);
        }

        public InterruptLine Line { get; }

        public void SetInterrupt(bool asserted)
        {
            Line.Set(asserted);
        }

        public void ReportGuestError(string message)
        {
            log($"{name}: {message}");
        }

        private readonly string name;
        private readonly Action<string> log;
    }
}
