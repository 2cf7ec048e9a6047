using System;

namespace RenodeFrameAlloc.Cli.Steps
{
    // One scenario of the demo. Run computes only (no console): it builds its own embedded board,
    // drives it and returns the numbers with the checks they pass or fail. progress, when given,
    // receives the fraction done (0..1) of a long step.
    public interface IDemoStep
    {
        string Title { get; }

        StepResult Run(DemoSettings settings, Action<double> progress = null);
    }
}
