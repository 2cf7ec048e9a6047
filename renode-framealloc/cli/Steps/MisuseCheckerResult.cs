using System.Collections.Generic;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 5: the same copy by a correct driver and by drivers that each forget one sync.
    public sealed record MisuseCheckerResult : StepResult
    {
        public ulong Bytes { get; init; }
        public IReadOnlyList<CheckedDriverRun> Runs { get; init; }
    }
}
