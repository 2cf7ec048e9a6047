namespace RenodeFrameAlloc.Tests.Model
{
    // One step of a random workload. Args are raw non-negative numbers that ModelRun maps onto
    // the current state (which allocation to free, which window to ask for, ...), so that a
    // shrunk sequence stays meaningful: smaller numbers mean simpler requests.
    public sealed class ModelOp
    {
        public const int ArgCount = 12;

        public ModelOp(ModelOpKind kind, int[] args)
        {
            Kind = kind;
            Args = args;
        }

        public ModelOpKind Kind { get; }
        public int[] Args { get; }

        public override string ToString()
        {
            return $"{Kind}({string.Join(",", Args)})";
        }
    }
}
