using System.Collections.Generic;
using RenodeFrameAlloc.Cli.Drivers;

namespace RenodeFrameAlloc.Cli.Steps
{
    // One run of the copy driver under the non-coherent checker: the mistake it made, whether
    // the data arrived intact, and what the checker reported (kinds, and the lines a developer reads).
    public sealed record CheckedDriverRun
    {
        public DriverMistake Mistake { get; init; }
        public string Driver { get; init; }
        public string Error { get; init; }
        public bool DestinationMatchesSource { get; init; }
        public int DifferingBytes { get; init; }
        public IReadOnlyList<string> FindingKinds { get; init; }
        public IReadOnlyList<string> Findings { get; init; }
    }
}
