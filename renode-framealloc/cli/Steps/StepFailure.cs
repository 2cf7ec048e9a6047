namespace RenodeFrameAlloc.Cli.Steps
{
    // A step that threw instead of returning its result: the demo reports it and goes on.
    public sealed record StepFailure : StepResult
    {
        public string Error { get; init; }
    }
}
