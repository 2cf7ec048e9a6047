namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // A file one of our .resc/.repl/.robot files refers to: where (file and line), as written, and
    // the absolute path it resolves to.
    public sealed class FileReference
    {
        public FileReference(string referringFile, int line, string written, string resolvedPath)
        {
            ReferringFile = referringFile;
            Line = line;
            Written = written;
            ResolvedPath = resolvedPath;
        }

        public string ReferringFile { get; }

        public int Line { get; }

        public string Written { get; }

        public string ResolvedPath { get; }

        public override string ToString()
        {
            return $"{ReferringFile}:{Line}: {Written} -> {ResolvedPath}";
        }
    }
}
