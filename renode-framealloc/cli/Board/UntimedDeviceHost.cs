using System;
using RenodeFrameAlloc.Devices;

namespace RenodeFrameAlloc.Cli.Board
{
    // The embedded host of a device model that takes no time (the software TLB, the frame pool):
    // its interrupt line, if it has one, and the bus log.
    public sealed class UntimedDeviceHost : IDeviceHost
    {
        public UntimedDeviceHost(string name, Action<string> log)
        {
            this.name = name;
            this.log = log;
            Line = new InterruptLine(name);
        }

        public InterruptLine Line { get; }

        public void SetLine(int line, bool asserted)
        {
            Line.Set(asserted);
        }

        public void LogGuestError(string message)
        {
            log($"{name}: {message}");
        }

        public void LogInternalError(string message)
        {
            log($"{name}: internal error: {message}");
        }

        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            throw new InvalidOperationException($"{name} takes no time but asked for a wake");
        }

        private readonly string name;
        private readonly Action<string> log;
    }
}
