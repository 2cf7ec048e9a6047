using System;
using System.Collections.Generic;

namespace RenodeFrameAlloc.Integration.Tests
{
    // A keyword the Robot suites may call without defining it: its name, how many arguments it
    // takes (MaximumArguments -1: any number) and, when known, the names it accepts as name=value.
    public sealed class KnownKeyword
    {
        public KnownKeyword(string name, int minimumArguments = 0, int maximumArguments = -1, params string[] namedArguments)
        {
            Name = name;
            MinimumArguments = minimumArguments;
            MaximumArguments = maximumArguments;
            NamedArguments = namedArguments.Length == 0 ? null : new HashSet<string>(namedArguments, StringComparer.Ordinal);
        }

        public string Name { get; }

        public int MinimumArguments { get; }

        public int MaximumArguments { get; }

        // Null when the checker does not know the parameter names (no name=value check then).
        public ISet<string> NamedArguments { get; }
    }
}
