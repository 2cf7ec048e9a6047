using System.Collections.Generic;
using System.Linq;
using System.Text;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests.Model
{
    // A layout of three 4 KiB-page ranges with holes between them, an allocator configuration
    // and the operations to run on it.
    public sealed class ModelCase
    {
        public ModelCase(int firstBasePage, int[] rangePages, int[] holePages, ListPolicy policy, int cachePercent, ModelOp[] ops)
        {
            FirstBasePage = firstBasePage;
            RangePages = rangePages;
            HolePages = holePages;
            Policy = policy;
            CachePercent = cachePercent;
            Ops = ops;
        }

        public int FirstBasePage { get; }
        public int[] RangePages { get; }
        public int[] HolePages { get; }
        public ListPolicy Policy { get; }
        public int CachePercent { get; }
        public ModelOp[] Ops { get; }

        public List<BusRange> BuildRanges()
        {
            var ranges = new List<BusRange>();
            var basePage = (ulong)FirstBasePage;
            for(var i = 0; i < RangePages.Length; i++)
            {
                ranges.Add(new BusRange("r" + i, basePage * Layouts.Page, (ulong)RangePages[i] * Layouts.Page));
                basePage += (ulong)RangePages[i];
                if(i < HolePages.Length)
                {
                    basePage += (ulong)HolePages[i];
                }
            }
            return ranges;
        }

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("layout: ").Append(string.Join(", ", BuildRanges())).Append('\n');
            text.Append($"policy {Policy}, cache cap {CachePercent}%, {Ops.Length} ops:\n");
            text.Append(string.Join("\n", Ops.Select((op, i) => $"  {i}: {op}")));
            return text.ToString();
        }
    }
}
