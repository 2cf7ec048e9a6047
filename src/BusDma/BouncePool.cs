using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma
{
    // Bounce pages for every tag with the same window and alignment (FreeBSD's bounce zone).
    // Pages come from the frame allocator inside the window, each PageSize bytes and aligned to
    // PageSize (the larger of the layer's page size and the tag alignment), so data placed at the
    // start of a bounce page always satisfies the tag. The pool grows on demand up to LimitPages and
    // keeps its pages after unload for the next load; TrimBouncePools and Reset give them back.
    public sealed class BouncePool
    {
        internal BouncePool(FrameAllocator allocator, int id, ulong low, ulong high, ulong alignment, ulong pageSize,
            int limitPages, bool allocatorPagesMatch)
        {
            this.allocator = allocator;
            Id = id;
            Low = low;
            High = high;
            Alignment = alignment;
            PageSize = pageSize;
            LimitPages = limitPages;
            this.allocatorPagesMatch = allocatorPagesMatch;
            allocations = new List<Segment[]>();
            freePages = new List<ulong>();
        }

        public int Id { get; }
        public ulong Low { get; }
        public ulong High { get; }
        public ulong Alignment { get; }
        public ulong PageSize { get; }
        public int LimitPages { get; }
        public int Pages => totalPages;
        public int FreePages => freePages.Count;
        public int PagesInUse => totalPages - freePages.Count;
        // Times the pool took frames from the allocator, and times it could not.
        public long Growths { get; private set; }
        public long GrowthFailures { get; private set; }
        // Bytes copied between buffers and this pool's pages by syncs.
        public long BytesCopied { get; internal set; }
        public int Tags { get; internal set; }

        public override string ToString()
        {
            return $"bounce pool #{Id} [0x{Low:X}, 0x{High:X}) align 0x{Alignment:X}: {PagesInUse} of {Pages} pages in use, limit {LimitPages}";
        }

        // Takes count pages (lowest addresses first, so consecutive pages often coalesce into one
        // segment), growing the pool when it has too few. allocationMark lets a caller whose load
        // fails later undo the growth with ShrinkTo. Failure: nothing taken, nothing grown.
        internal DmaError TryTake(int count, List<ulong> destination, out int allocationMark, out string message)
        {
            allocationMark = allocations.Count;
            if(count > freePages.Count)
            {
                var error = Grow(count - freePages.Count, out message);
                if(error != DmaError.None)
                {
                    return error;
                }
            }
            for(var i = 0; i < count; i++)
            {
                destination.Add(freePages[i]);
            }
            freePages.RemoveRange(0, count);
            message = string.Empty;
            return DmaError.None;
        }

        internal void Return(List<ulong> pages)
        {
            foreach(var page in pages)
            {
                var index = freePages.BinarySearch(page);
                System.Diagnostics.Debug.Assert(index < 0, "bounce page returned twice");
                freePages.Insert(~index, page);
            }
        }

        // Gives back to the allocator every allocation made after mark; their pages must all be free.
        internal void ShrinkTo(int mark)
        {
            for(var i = allocations.Count - 1; i >= mark; i--)
            {
                ReleaseAllocation(i);
            }
        }

        // Gives back every allocation whose pages are all free; returns the number of pages released.
        internal int Trim()
        {
            var released = 0;
            for(var i = allocations.Count - 1; i >= 0; i--)
            {
                if(AllFree(allocations[i]))
                {
                    released += PageCount(allocations[i]);
                    ReleaseAllocation(i);
                }
            }
            return released;
        }

        // Grows until at least `pages` pages are free (AllocateNow). Failure: the pool is unchanged.
        internal DmaError Reserve(int pages, out string message)
        {
            if(pages <= freePages.Count)
            {
                message = string.Empty;
                return DmaError.None;
            }
            return Grow(pages - freePages.Count, out message);
        }

        private DmaError Grow(int pages, out string message)
        {
            if((long)totalPages + pages > LimitPages)
            {
                GrowthFailures++;
                message = $"needs {pages} more bounce pages of 0x{PageSize:X} bytes in [0x{Low:X}, 0x{High:X}); "
                    + $"the pool holds {totalPages} ({freePages.Count} free) and may hold at most {LimitPages}";
                return DmaError.NoBounceMemory;
            }
            var mark = allocations.Count;
            // Bounce pages must each start at a multiple of PageSize. When every allocator list uses
            // that page size, one scattered request gives exactly that; otherwise ask page by page.
            var requests = allocatorPagesMatch ? 1 : pages;
            var perRequest = allocatorPagesMatch ? pages : 1;
            for(var i = 0; i < requests; i++)
            {
                var constraints = new AllocationConstraints
                {
                    Low = Low,
                    High = High,
                    Alignment = PageSize,
                    Boundary = 0,
                    MaxSegments = perRequest,
                    MaxSegmentSize = 0,
                    PreferredRange = null
                };
                var result = allocator.Allocate((ulong)perRequest * PageSize, constraints);
                if(!result.Succeeded)
                {
                    // Atomic: whatever this growth already took goes back before reporting.
                    ShrinkTo(mark);
                    GrowthFailures++;
                    message = $"needs {pages} more bounce pages of 0x{PageSize:X} bytes in [0x{Low:X}, 0x{High:X}); "
                        + $"the frame allocator refused: {result.Error}: {result.Message}";
                    return DmaError.NoBounceMemory;
                }
                allocations.Add(result.Segments);
                foreach(var segment in result.Segments)
                {
                    for(var address = segment.Address; address < segment.End; address += PageSize)
                    {
                        var index = freePages.BinarySearch(address);
                        freePages.Insert(~index, address);
                    }
                }
                totalPages += PageCount(result.Segments);
            }
            Growths++;
            message = string.Empty;
            return DmaError.None;
        }

        private void ReleaseAllocation(int index)
        {
            var segments = allocations[index];
            foreach(var segment in segments)
            {
                for(var address = segment.Address; address < segment.End; address += PageSize)
                {
                    var at = freePages.BinarySearch(address);
                    System.Diagnostics.Debug.Assert(at >= 0, "releasing a bounce page that is in use");
                    if(at >= 0)
                    {
                        freePages.RemoveAt(at);
                    }
                }
            }
            totalPages -= PageCount(segments);
            allocations.RemoveAt(index);
            var error = allocator.Free(segments.AsSpan());
            System.Diagnostics.Debug.Assert(error == AllocationError.None, $"allocator refused bounce pages back: {error}");
        }

        private bool AllFree(Segment[] segments)
        {
            foreach(var segment in segments)
            {
                for(var address = segment.Address; address < segment.End; address += PageSize)
                {
                    if(freePages.BinarySearch(address) < 0)
                    {
                        return false;
                    }
                }
            }
            return true;
        }

        private int PageCount(Segment[] segments)
        {
            ulong bytes = 0;
            foreach(var segment in segments)
            {
                bytes += segment.Length;
            }
            return (int)(bytes / PageSize);
        }

        private int totalPages;

        private readonly FrameAllocator allocator;
        private readonly bool allocatorPagesMatch;
        // Each allocator result the pool holds, as returned, so it can be freed exactly.
        private readonly List<Segment[]> allocations;
        // Sorted ascending.
        private readonly List<ulong> freePages;
    }
}
