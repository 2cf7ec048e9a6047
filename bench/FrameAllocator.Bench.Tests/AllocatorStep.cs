using System;
using System.Collections.Generic;
using CsCheck;
using NUnit.Framework;

namespace RenodeFrameAlloc.Bench.Tests
{
    // One random step of an allocator test: Kind picks the operation, A..D its arguments, which
    // each test decodes into sizes, alignments and windows. Small values shrink to simple cases.
    public readonly record struct AllocatorStep(int Kind, int A, int B, int C, int D)
    {
        public static readonly Gen<AllocatorStep[]> Sequence =
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1023], Gen.Int[0, 1023], Gen.Int[0, 1023], Gen.Int[0, 1023],
                (kind, a, b, c, d) => new AllocatorStep(kind, a, b, c, d)).Array[1, 200];

        // The take-this-frame step of either baseline: it succeeds exactly when the oracle has
        // frame A free; the frame is then held as a one-frame allocation.
        public void TakeFrame(Func<ulong, bool> tryTakeFrame, FrameOracle oracle, List<(ulong Address, long Pages)> held)
        {
            long frame = A % TestLayout.Frames;
            var expected = oracle.IsFree(frame);
            Assert.That(tryTakeFrame((ulong)frame * TestLayout.PageSize), Is.EqualTo(expected));
            if(expected)
            {
                oracle.Take(frame, 1);
                held.Add(((ulong)frame * TestLayout.PageSize, 1));
            }
        }
    }
}
