namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // `using "path"`: another platform description this one builds on.
    public sealed class ReplUsing
    {
        public ReplUsing(string path, int line)
        {
            Path = path;
            Line = line;
        }

        public string Path { get; }

        public int Line { get; }
    }
}
