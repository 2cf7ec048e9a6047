using System.Collections.Generic;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Cli.Rendering
{
    // What report.json holds: the run's settings, every step's result with its numbers and
    // checks, and the files written.
    public sealed record DemoReport(int Seed, bool Quick, bool AllAsExpected, IReadOnlyList<StepResult> Steps, string Plot);
}
