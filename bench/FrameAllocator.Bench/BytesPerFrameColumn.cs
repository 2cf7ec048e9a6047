using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RenodeFrameAlloc.Bench
{
    // The per-frame metadata of the allocator each row measures (MemoryFootprint), so that the
    // memory target sits in the same table as the times.
    public sealed class BytesPerFrameColumn : IColumn
    {
        public string Id => nameof(BytesPerFrameColumn);
        public string ColumnName => "Bytes/frame";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Allocator metadata per frame with no page queued, fresh allocator (target: FrameAllocator <= 1)";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase)
        {
            return false;
        }

        public bool IsAvailable(Summary summary)
        {
            return true;
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            return GetValue(summary, benchmarkCase, SummaryStyle.Default);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var frameCount = (int)benchmarkCase.Parameters[nameof(FrameAllocatorBenchmarks.FrameCount)];
            var bytes = MemoryFootprint.ForBenchmark(benchmarkCase.Descriptor.WorkloadMethod.Name, frameCount);
            return bytes.HasValue ? bytes.Value.ToString("0.###") : "?";
        }
    }
}
