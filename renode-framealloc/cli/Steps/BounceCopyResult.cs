namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 3: the same buffer, above 16 MiB, copied by the 24-bit engine (through bounce
    // buffers) and by the 32-bit engine (directly).
    public sealed record BounceCopyResult : StepResult
    {
        public ulong Bytes { get; init; }
        public ulong SourcePhysical { get; init; }
        public ulong DestinationPhysical { get; init; }
        public EngineCopy Engine24 { get; init; }
        public EngineCopy Engine32 { get; init; }
    }
}
