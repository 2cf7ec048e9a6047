using CsCheck;

namespace RenodeFrameAlloc.Bench.Tests
{
    // One random step of an allocator test: Kind picks the operation, A..D its arguments, which
    // each test decodes into sizes, alignments and windows. Small values shrink to simple cases.
    public readonly record struct AllocatorStep(int Kind, int A, int B, int C, int D)
    {
        public static readonly Gen<AllocatorStep[]> Sequence =
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1023], Gen.Int[0, 1023], Gen.Int[0, 1023], Gen.Int[0, 1023],
                (kind, a, b, c, d) => new AllocatorStep(kind, a, b, c, d)).Array[1, 200];
    }
}
