using System.Collections.Generic;
using System.Linq;

namespace RenodeFrameAlloc.Cli.Steps
{
    // What every step reports: its title, the checks it made and a one-line summary for the final
    // table. Derived records add the numbers the step shows.
    public abstract record StepResult
    {
        public string Title { get; init; }
        public string Summary { get; init; }
        public IReadOnlyList<StepCheck> Checks { get; init; } = new List<StepCheck>();

        // A step with no checks proved nothing, so it did not behave as expected.
        public bool BehavedAsExpected => Checks.Count > 0 && Checks.All(c => c.Held);
    }
}
