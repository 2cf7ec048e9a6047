using System.Text;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // Everything observable about an allocator except its failure counters and last message: the
    // statistics of every list, the eviction counters and the state and kind of every frame.
    // Two equal fingerprints mean a caller cannot tell the allocators apart.
    public static class StateFingerprint
    {
        public static string Capture(FrameAllocator allocator, bool includeFailures = false)
        {
            var text = new StringBuilder();
            foreach(var s in allocator.GetStatistics())
            {
                text.Append($"{s.Name} {s.Base:X} {s.Size:X} {s.PageSize:X} pages {s.Pages} free {s.Free} wired {s.Wired} active {s.Active} ")
                    .Append($"inactive {s.Inactive} cache {s.CachePages} allocs {s.Allocations} reclaims {s.Reclaims} ")
                    .Append($"targets {s.FreeTarget}/{s.InactiveTarget}");
                if(includeFailures)
                {
                    text.Append($" failures {s.Failures}");
                }
                text.Append('\n');
            }
            text.Append($"cache {allocator.CachePages} evicted {allocator.ProgramPagesEvicted}/{allocator.CachePagesEvicted}\n");
            foreach(var range in allocator.Ranges)
            {
                for(var address = range.Base; address < range.End; address += range.PageSize)
                {
                    var state = allocator.GetPageState(address);
                    text.Append((char)('0' + (int)state));
                    if(state == PageState.Active || state == PageState.Inactive)
                    {
                        text.Append(allocator.GetPageKind(address) == PageKind.Cache ? 'c' : 'p');
                    }
                }
                text.Append('\n');
            }
            return text.ToString();
        }
    }
}
