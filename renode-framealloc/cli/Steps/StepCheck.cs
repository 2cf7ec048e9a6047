namespace RenodeFrameAlloc.Cli.Steps
{
    // One thing a step must show, whether it did, and what was seen instead or as proof.
    public sealed record StepCheck(string Expectation, bool Held, string Observed);
}
