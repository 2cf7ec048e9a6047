using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests.Model
{
    // The brute-force model of the allocator: one flag per frame (free, wired by allocation N,
    // or a pageable page of a kind, active or inactive, with a referenced bit), plus the
    // allocations handed out. It knows nothing about how the allocator finds frames.
    public sealed class FrameOracle
    {
        public FrameOracle(IEnumerable<BusRange> ranges)
        {
            this.ranges = ranges.OrderBy(r => r.Base).ToArray();
            firstFrame = new int[this.ranges.Length + 1];
            for(var i = 0; i < this.ranges.Length; i++)
            {
                firstFrame[i + 1] = firstFrame[i] + (int)(this.ranges[i].Size / this.ranges[i].PageSize);
            }
            var count = firstFrame[this.ranges.Length];
            states = new PageState[count];
            owners = new int[count];
            kinds = new PageKind[count];
            referenced = new bool[count];
            Array.Fill(states, PageState.Free);
            live = new Dictionary<int, Segment[]>();
            returned = new List<Segment[]>();
        }

        public int FrameCount => states.Length;
        public int RangeCount => ranges.Length;
        public IReadOnlyDictionary<int, Segment[]> Live => live;
        public IReadOnlyList<Segment[]> Returned => returned;

        public BusRange Range(int index)
        {
            return ranges[index];
        }

        public int FirstFrame(int range)
        {
            return firstFrame[range];
        }

        public int EndFrame(int range)
        {
            return firstFrame[range + 1];
        }

        public int RangeIndex(string name)
        {
            return Array.FindIndex(ranges, r => r.Name == name);
        }

        public int RangeOfFrame(int frame)
        {
            var i = 0;
            while(frame >= firstFrame[i + 1])
            {
                i++;
            }
            return i;
        }

        public ulong AddressOf(int frame)
        {
            var r = RangeOfFrame(frame);
            return ranges[r].Base + (ulong)(frame - firstFrame[r]) * ranges[r].PageSize;
        }

        // -1 when the address lies in no range.
        public int FrameOf(ulong address)
        {
            for(var r = 0; r < ranges.Length; r++)
            {
                if(ranges[r].Contains(address))
                {
                    return firstFrame[r] + (int)((address - ranges[r].Base) / ranges[r].PageSize);
                }
            }
            return -1;
        }

        public PageState State(int frame) => states[frame];
        public int Owner(int frame) => owners[frame];
        public PageKind Kind(int frame) => kinds[frame];
        public bool Referenced(int frame) => referenced[frame];

        public bool IsPageable(int frame)
        {
            return states[frame] == PageState.Active || states[frame] == PageState.Inactive;
        }

        public int Count(int range, PageState state)
        {
            var n = 0;
            for(var f = firstFrame[range]; f < firstFrame[range + 1]; f++)
            {
                if(states[f] == state)
                {
                    n++;
                }
            }
            return n;
        }

        public int CountCache(int range)
        {
            var n = 0;
            for(var f = firstFrame[range]; f < firstFrame[range + 1]; f++)
            {
                if(IsPageable(f) && kinds[f] == PageKind.Cache)
                {
                    n++;
                }
            }
            return n;
        }

        public int CountAll(Func<int, bool> predicate)
        {
            var n = 0;
            for(var f = 0; f < states.Length; f++)
            {
                if(predicate(f))
                {
                    n++;
                }
            }
            return n;
        }

        public List<int> PageableFrames()
        {
            var frames = new List<int>();
            for(var f = 0; f < states.Length; f++)
            {
                if(IsPageable(f))
                {
                    frames.Add(f);
                }
            }
            return frames;
        }

        public IEnumerable<int> FramesOf(Segment segment)
        {
            for(var address = segment.Address; address < segment.End; address += Layouts.Page)
            {
                yield return FrameOf(address);
            }
        }

        public int Wire(Segment[] segments)
        {
            var id = nextAllocation++;
            foreach(var segment in segments)
            {
                foreach(var f in FramesOf(segment))
                {
                    states[f] = PageState.Wired;
                    owners[f] = id;
                }
            }
            live.Add(id, segments);
            return id;
        }

        public void Unwire(int id)
        {
            foreach(var segment in live[id])
            {
                foreach(var f in FramesOf(segment))
                {
                    states[f] = PageState.Free;
                    owners[f] = 0;
                }
            }
            returned.Add(live[id]);
            live.Remove(id);
        }

        public void SetPage(int frame, PageState state, PageKind kind)
        {
            states[frame] = state;
            kinds[frame] = kind;
            referenced[frame] = false;
        }

        public void Release(int frame)
        {
            states[frame] = PageState.Free;
            referenced[frame] = false;
        }

        public void MarkReferenced(int frame)
        {
            referenced[frame] = true;
        }

        // The pager may or may not look at a page in a pass; forgetting every bit afterwards
        // keeps the model from demanding more than one pass promises.
        public void ForgetReferences()
        {
            Array.Clear(referenced);
        }

        private int nextAllocation = 1;
        private readonly BusRange[] ranges;
        private readonly int[] firstFrame;
        private readonly PageState[] states;
        private readonly int[] owners;
        private readonly PageKind[] kinds;
        private readonly bool[] referenced;
        private readonly Dictionary<int, Segment[]> live;
        private readonly List<Segment[]> returned;
    }
}
