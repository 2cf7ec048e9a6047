namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 2: the same program and the same copy, with the buffer-cache cap and without it.
    public sealed record BufferCacheResult : StepResult
    {
        public BufferCacheRun Capped { get; init; }
        public BufferCacheRun Uncapped { get; init; }
    }
}
