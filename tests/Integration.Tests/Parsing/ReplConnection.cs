namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // One GPIO wire: from a named GPIO property (SourceName, e.g. "IRQ"), from numbered output
    // SourceNumber (INumberedGPIOOutput.Connections), or from the default GPIO (both null), to input
    // TargetNumber of peripheral Target.
    public sealed class ReplConnection
    {
        public ReplConnection(string sourceName, int? sourceNumber, string target, int targetNumber, int line)
        {
            SourceName = sourceName;
            SourceNumber = sourceNumber;
            Target = target;
            TargetNumber = targetNumber;
            Line = line;
        }

        public string SourceName { get; }

        public int? SourceNumber { get; }

        public string Target { get; }

        public int TargetNumber { get; }

        public int Line { get; }

        public override string ToString()
        {
            var source = SourceName ?? (SourceNumber.HasValue ? SourceNumber.Value.ToString() : "(default)");
            return $"{source} -> {Target}@{TargetNumber} (line {Line})";
        }
    }
}
