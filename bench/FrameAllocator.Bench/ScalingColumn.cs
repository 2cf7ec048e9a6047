using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RenodeFrameAlloc.Bench
{
    // Each row's median over the median of the same benchmark at 4 GiB: issue 2 asks that the
    // contiguous case at 64 GiB take no more than twice its 4 GiB figure.
    public sealed class ScalingColumn : IColumn
    {
        public string Id => nameof(ScalingColumn);
        public string ColumnName => "Median/4GiB";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Median over the same benchmark's median at 1 Mi frames (4 GiB) (target for FrameAllocatorContiguous16 at 64 GiB: <= 2)";

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
            var reference = summary.Reports.Select(r => r.BenchmarkCase).FirstOrDefault(c =>
                c.Descriptor.WorkloadMethod == benchmarkCase.Descriptor.WorkloadMethod
                && c.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo
                && (int)c.Parameters[nameof(FrameAllocatorBenchmarks.FrameCount)] == BenchmarkLayout.FourGiBFrames);
            var median = summary[benchmarkCase]?.ResultStatistics?.Median;
            var referenceMedian = reference == null ? null : summary[reference]?.ResultStatistics?.Median;
            if(median == null || referenceMedian == null || referenceMedian.Value <= 0)
            {
                return "?";
            }
            return (median.Value / referenceMedian.Value).ToString("0.00");
        }
    }
}
