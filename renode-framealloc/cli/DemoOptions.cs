namespace RenodeFrameAlloc.Cli
{
    // The demo command's options: Seed for everything random, OutputDirectory for the plot and
    // the JSON report, Quick for CI-sized runs, Renode to run the Robot suites in Renode instead.
    public sealed record DemoOptions(int Seed, string OutputDirectory, bool Quick, bool Renode);
}
