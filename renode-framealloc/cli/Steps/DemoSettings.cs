namespace RenodeFrameAlloc.Cli.Steps
{
    // What every step is run with: the seed of everything random in it, and whether to use the
    // small sizes meant for CI and tests.
    public sealed record DemoSettings(int Seed, bool Quick);
}
