using System.Collections.Generic;
using System.Linq;
using Antmicro.Renode.Logging;

namespace RenodeFrameAlloc.StandIn.Testing
{
    // Test-only: not part of Renode. Collects what the stand-in Logger receives so a test can check
    // that bad guest input produced a log line. Shared by the whole test process: clear it in SetUp.
    public static class LogCapture
    {
        public static void Record(object source, LogLevel level, string message)
        {
            lock(sync)
            {
                entries.Add(new CapturedLogEntry(source, level, message));
            }
        }

        public static void Clear()
        {
            lock(sync)
            {
                entries.Clear();
            }
        }

        // Entries logged by source (any source when null) at level or above.
        public static IReadOnlyList<CapturedLogEntry> From(object source, LogLevel minimumLevel)
        {
            lock(sync)
            {
                return entries.Where(e => (source == null || ReferenceEquals(e.Source, source)) && e.Level >= minimumLevel).ToList();
            }
        }

        public static IReadOnlyList<CapturedLogEntry> Entries
        {
            get
            {
                lock(sync)
                {
                    return entries.ToList();
                }
            }
        }

        private static readonly List<CapturedLogEntry> entries = new List<CapturedLogEntry>();
        private static readonly object sync = new object();
    }
}
