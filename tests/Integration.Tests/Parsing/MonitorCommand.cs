using System.Collections.Generic;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // One monitor command line, split into its blank-separated tokens.
    public sealed class MonitorCommand
    {
        public MonitorCommand(int line, IReadOnlyList<string> tokens)
        {
            Line = line;
            Tokens = tokens;
        }

        public int Line { get; }

        public IReadOnlyList<string> Tokens { get; }

        public override string ToString()
        {
            return string.Join(" ", Tokens);
        }
    }
}
