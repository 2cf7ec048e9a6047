using System;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    public sealed class ReplSyntaxException : Exception
    {
        public ReplSyntaxException(string source, int line, string message)
            : base($"{source}:{line}: {message}")
        {
            Line = line;
        }

        public int Line { get; }
    }
}
