using System;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Cli.Board
{
    // What a ScatterGatherDmaModel needs from the embedded host: the virtual clock for its
    // bandwidth time, one interrupt line per channel, and the bus log.
    public sealed class EngineHost : IDeviceHost
    {
        public EngineHost(string name, int channels, VirtualClock clock, Action<string> log)
        {
            this.name = name;
            this.clock = clock;
            this.log = log;
            Lines = new InterruptLine[channels];
            for(var i = 0; i < channels; i++)
            {
                Lines[i] = new InterruptLine($"{name}.ch{i}");
            }
        }

        public InterruptLine[] Lines { get; }

        // Set once the engine exists: wakes are delivered to it.
        public ScatterGatherDmaModel Engine { get; set; }

        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            clock.Schedule(delayNanoseconds, () => Engine.OnWake(channel, ticket));
        }

        public void SetLine(int line, bool asserted)
        {
            Lines[line].Set(asserted);
        }

        public void LogGuestError(string message)
        {
            log($"{name}: {message}");
        }

        // A bug of the model or the board, e.g. a channel stopped with ERROR_CAUSE InternalError
        // (which fails the step that started the chain).
        public void LogInternalError(string message)
        {
            log($"{name}: internal error: {message}");
        }

        private readonly string name;
        private readonly VirtualClock clock;
        private readonly Action<string> log;
    }
}
