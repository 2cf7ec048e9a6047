using System.Collections.Generic;
using RenodeFrameAlloc.Cli.Drivers;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 1: the per-range statistics (as the device's registers show them) before borrowing,
    // while the frames are out and after they came back; every borrow; and the two refusals the
    // device must give (a request bigger than the range's free memory, a second return).
    public sealed record FrameBorrowingResult : StepResult
    {
        public IReadOnlyList<RangeCounters> Before { get; init; }
        public IReadOnlyList<RangeCounters> Borrowed { get; init; }
        public IReadOnlyList<RangeCounters> After { get; init; }
        public IReadOnlyList<BorrowedBlock> Blocks { get; init; }
        public uint OversizeError { get; init; }
        public uint SecondReturnError { get; init; }
    }
}
