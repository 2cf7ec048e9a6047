using CsCheck;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Tests.Model;

namespace RenodeFrameAlloc.Tests
{
    // Random sequences of allocate, free (good and bad), page, reference and pager steps on
    // small layouts, checked step by step against a brute-force oracle (see Model/ModelRun.cs
    // for every property checked).
    public class AllocatorModelTests
    {
        [Test]
        public void RandomWorkloadsAgreeWithTheOracle()
        {
            Sample(CaseGen(), Iterations);
        }

        // Mostly wired allocations and frees, so that lists fill up, fragment and run dry.
        [Test]
        public void ExhaustionAndFragmentationAgreeWithTheOracle()
        {
            Sample(WiredCaseGen(), Iterations * 2 / 3);
        }

        // Mostly single frames taken and returned (good and bad frees), so that returned frames
        // are handed out again, pile up past a magazine and meet multi-frame requests,
        // pages and the pager.
        [Test]
        public void SingleFrameTrafficAgreesWithTheOracle()
        {
            Sample(SingleFrameCaseGen(), Iterations * 2 / 3);
        }

        private static void Sample(Gen<ModelCase> gen, int iterations)
        {
            gen.Sample(testCase => new ModelRun(testCase).Execute(), iter: iterations, print: testCase => testCase.ToString());
        }

        private static Gen<ModelCase> CaseGen()
        {
            return Gen.Select(LayoutGen, Gen.Int[0, 1], Gen.OneOfConst(50, 25, FrameAllocator.NoCacheCap), AnyOpGen.Array[1, 200],
                (layout, policy, cap, ops) => new ModelCase(layout.First, layout.Sizes, layout.Holes, (ListPolicy)policy, cap, ops));
        }

        private static Gen<ModelCase> WiredCaseGen()
        {
            return Gen.Select(LayoutGen, Gen.Int[0, 1], WiredOpGen.Array[20, 120],
                (layout, policy, ops) => new ModelCase(layout.First, layout.Sizes, layout.Holes, (ListPolicy)policy, 50, ops));
        }

        private static Gen<ModelCase> SingleFrameCaseGen()
        {
            return Gen.Select(LayoutGen, Gen.Int[0, 1], Gen.OneOfConst(50, FrameAllocator.NoCacheCap), SingleFrameOpGen.Array[20, 200],
                (layout, policy, cap, ops) => new ModelCase(layout.First, layout.Sizes, layout.Holes, (ListPolicy)policy, cap, ops));
        }

        private static Gen<ModelOp> OpGen(ModelOpKind kind)
        {
            return Gen.Int[0, 65535].Array[ModelOp.ArgCount].Select(args => new ModelOp(kind, args));
        }

        private static readonly Gen<(int First, int[] Sizes, int[] Holes)> LayoutGen =
            Gen.Select(Gen.Int[0, 32], Gen.Int[64, 512].Array[3], Gen.Int[0, 64].Array[2]);

        private static readonly Gen<ModelOp> AnyOpGen = Gen.Frequency(
            (30, OpGen(ModelOpKind.Allocate)),
            (18, OpGen(ModelOpKind.Free)),
            (22, OpGen(ModelOpKind.AllocatePage)),
            (10, OpGen(ModelOpKind.Reference)),
            (5, OpGen(ModelOpKind.ReleasePage)),
            (10, OpGen(ModelOpKind.RunPager)),
            (5, OpGen(ModelOpKind.SetPagerTargets)));

        private static readonly Gen<ModelOp> WiredOpGen = Gen.Frequency(
            (6, OpGen(ModelOpKind.Allocate)),
            (3, OpGen(ModelOpKind.Free)));

        private static readonly Gen<ModelOp> SingleFrameOpGen = Gen.Frequency(
            (12, OpGen(ModelOpKind.AllocateFrame)),
            (10, OpGen(ModelOpKind.Free)),
            (2, OpGen(ModelOpKind.Allocate)),
            (2, OpGen(ModelOpKind.AllocatePage)),
            (1, OpGen(ModelOpKind.RunPager)));

        private const int Iterations = 300;
    }
}
