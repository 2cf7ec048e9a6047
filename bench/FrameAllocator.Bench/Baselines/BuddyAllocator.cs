using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench.Baselines
{
    // Baseline: the binary buddy allocator of FreeBSD's vm_phys (sys/vm/vm_phys.c), written here from
    // its published algorithm. Each bus range has its own free queues (vm_phys keeps one set per free
    // list: default, DMA32, ...), one queue per order 0..MaxOrder; a free block of order k is 2^k
    // frames aligned to 2^k frames and sits on its queue through links in its first frame's record
    // (intrusive, doubly linked, circular). Allocation takes the first block of the smallest
    // non-empty order and splits it, returning the upper halves to their queues; freeing merges a
    // block with its buddy as long as the buddy is a free block of the same order in the same range.
    //
    // Contiguous requests (vm_phys_alloc_contig) walk the queues of the ranges in the window, from
    // the request's order up, for the first block that satisfies window, alignment and boundary; the
    // part of the block beyond the request goes back to the queues. Requests above 2^MaxOrder frames
    // (which vm_phys serves from runs of max-order blocks) are not supported here.
    public sealed class BuddyAllocator
    {
        public const ulong PageSize = BusRange.DefaultPageSize;
        // 16 MiB blocks, as VM_NFREEORDER = 13 on amd64.
        public const int MaxOrder = 12;
        public const sbyte NotAHead = -1;

        public static int BytesPerFrame => Unsafe.SizeOf<BuddyFrame>();

        // ranges: non-overlapping, 4 KiB pages, at most 255 of them.
        public BuddyAllocator(IEnumerable<BusRange> ranges)
        {
            var sorted = ranges.OrderBy(r => r.Base).ToArray();
            if(sorted.Length == 0 || sorted.Length > byte.MaxValue)
            {
                throw new ArgumentException("between 1 and 255 ranges are needed", nameof(ranges));
            }
            rangeStart = new int[sorted.Length];
            rangeEnd = new int[sorted.Length];
            long lastFrame = 0;
            for(var r = 0; r < sorted.Length; r++)
            {
                var range = sorted[r];
                if(range.PageSize != PageSize || range.Base % PageSize != 0 || range.Size % PageSize != 0
                    || range.End / PageSize > int.MaxValue)
                {
                    throw new ArgumentException($"range {range} is not made of whole 4 KiB pages below 8 TiB", nameof(ranges));
                }
                rangeStart[r] = (int)(range.Base / PageSize);
                rangeEnd[r] = (int)(range.End / PageSize);
                lastFrame = Math.Max(lastFrame, rangeEnd[r]);
            }
            frames = new BuddyFrame[lastFrame];
            for(var i = 0; i < frames.Length; i++)
            {
                frames[i].Order = NotAHead;
            }
            queueHead = new int[sorted.Length * Orders];
            queueLength = new int[sorted.Length * Orders];
            Array.Fill(queueHead, Empty);
            for(var r = 0; r < sorted.Length; r++)
            {
                frames.AsSpan(rangeStart[r], rangeEnd[r] - rangeStart[r]).Fill(new BuddyFrame { Order = NotAHead, Range = (byte)r });
                EnqueueRun(r, rangeStart[r], rangeEnd[r] - rangeStart[r]);
                TotalFrames += rangeEnd[r] - rangeStart[r];
            }
            FreeFrames = TotalFrames;
        }

        public long TotalFrames { get; }
        public long FreeFrames { get; private set; }

        // A block of 2^order frames, naturally aligned, from the least constrained (highest) range
        // that has one, as vm_phys_alloc_pages tries the default free list first. False if none.
        public bool TryAllocatePages(int order, out ulong address)
        {
            for(var r = rangeStart.Length - 1; r >= 0; r--)
            {
                for(var k = order; k <= MaxOrder; k++)
                {
                    var head = queueHead[r * Orders + k];
                    if(head != Empty)
                    {
                        Remove(r, head, k);
                        Split(r, head, k, order);
                        FreeFrames -= 1L << order;
                        address = (ulong)head * PageSize;
                        return true;
                    }
                }
            }
            address = 0;
            return false;
        }

        // Returns the block of 2^order frames at address, merging it with free buddies.
        public void FreePages(ulong address, int order)
        {
            var frame = (int)(address / PageSize);
            if(frames[frame].Order != NotAHead)
            {
                throw new InvalidOperationException($"block at 0x{address:X} is already free");
            }
            FreeBlock(frame, order);
            FreeFrames += 1L << order;
        }

        // pages contiguous frames in [low, high), the first aligned to alignment (power of two),
        // none crossing a multiple of boundary (0 = none). False, changing nothing, if no free block
        // of the queues satisfies them.
        public bool TryAllocateContiguous(long pages, ulong low, ulong high, ulong alignment, ulong boundary, out ulong address)
        {
            address = 0;
            if(pages <= 0 || pages > 1L << MaxOrder)
            {
                return false;
            }
            var order = BitOperations.Log2((ulong)pages - 1) + (pages == 1 ? 0 : 1);
            var size = (ulong)pages * PageSize;
            if(alignment < PageSize)
            {
                alignment = PageSize;
            }
            // vm_phys_alloc_contig searches the segments from the lowest address up.
            for(var r = 0; r < rangeStart.Length; r++)
            {
                if((ulong)rangeStart[r] * PageSize >= high || (ulong)rangeEnd[r] * PageSize <= low)
                {
                    continue;
                }
                for(var k = order; k <= MaxOrder; k++)
                {
                    var head = queueHead[r * Orders + k];
                    if(head == Empty)
                    {
                        continue;
                    }
                    var block = head;
                    do
                    {
                        var start = (ulong)block * PageSize;
                        if(start >= low && start + size <= high && (start & (alignment - 1)) == 0
                            && (boundary == 0 || ((start ^ (start + size - 1)) & ~(boundary - 1)) == 0))
                        {
                            Remove(r, block, k);
                            // The tail of the block beyond the request goes back, in aligned pieces.
                            EnqueueRun(r, block + (int)pages, (1 << k) - (int)pages);
                            FreeFrames -= pages;
                            address = start;
                            return true;
                        }
                        block = frames[block].Next;
                    }
                    while(block != head);
                }
            }
            return false;
        }

        // Returns pages contiguous frames from address on, as vm_phys_free_contig does: in the largest
        // aligned blocks, each merged with its free buddies.
        public void FreeContiguous(ulong address, long pages)
        {
            var frame = (int)(address / PageSize);
            var remaining = (int)pages;
            while(remaining > 0)
            {
                var order = Math.Min(Math.Min(BitOperations.TrailingZeroCount(frame), BitOperations.Log2((uint)remaining)), MaxOrder);
                if(frames[frame].Order != NotAHead)
                {
                    throw new InvalidOperationException($"frame 0x{(ulong)frame * PageSize:X} is already free");
                }
                FreeBlock(frame, order);
                frame += 1 << order;
                remaining -= 1 << order;
            }
            FreeFrames += pages;
        }

        // Takes the given frame out of the free block that holds it (vm_phys_unfree_page), to set up a
        // state; false if the frame is not free.
        public bool TryTakeFrame(ulong address)
        {
            var frame = address / PageSize;
            if(frame >= (ulong)frames.Length)
            {
                return false;
            }
            var target = (int)frame;
            var r = frames[target].Range;
            if(target < rangeStart[r] || target >= rangeEnd[r])
            {
                return false;
            }
            // The free block holding the frame, if any, is headed by the frame rounded down to its order.
            for(var k = 0; k <= MaxOrder; k++)
            {
                var head = target & ~((1 << k) - 1);
                if(head < rangeStart[r])
                {
                    return false;
                }
                var order = frames[head].Order;
                if(order == NotAHead || order < k)
                {
                    continue;
                }
                Remove(r, head, order);
                // Halve the block, returning the half without the frame, until only the frame is left.
                var block = head;
                while(order > 0)
                {
                    order--;
                    var upper = block + (1 << order);
                    if(target < upper)
                    {
                        Add(r, upper, order, false);
                    }
                    else
                    {
                        Add(r, block, order, false);
                        block = upper;
                    }
                }
                FreeFrames--;
                return true;
            }
            return false;
        }

        // Blocks on the queues of the given order, over all ranges (for checks and reports).
        public long FreeBlocksOfOrder(int order)
        {
            long count = 0;
            for(var r = 0; r < rangeStart.Length; r++)
            {
                count += queueLength[r * Orders + order];
            }
            return count;
        }

        // Every block on the free queues, by walking them (for checks, not for speed).
        public IEnumerable<(ulong Address, int Order)> FreeBlocks()
        {
            for(var q = 0; q < queueHead.Length; q++)
            {
                var head = queueHead[q];
                if(head == Empty)
                {
                    continue;
                }
                var block = head;
                do
                {
                    yield return ((ulong)block * PageSize, q % Orders);
                    block = frames[block].Next;
                }
                while(block != head);
            }
        }

        private void FreeBlock(int frame, int order)
        {
            int r = frames[frame].Range;
            while(order < MaxOrder)
            {
                var buddy = frame ^ (1 << order);
                if(buddy < rangeStart[r] || buddy >= rangeEnd[r] || frames[buddy].Order != order)
                {
                    break;
                }
                Remove(r, buddy, order);
                order++;
                frame &= ~((1 << order) - 1);
            }
            Add(r, frame, order, true);
        }

        // Splits the block of order k at frame down to order target, queueing the upper halves.
        private void Split(int r, int frame, int k, int target)
        {
            while(k > target)
            {
                k--;
                Add(r, frame + (1 << k), k, true);
            }
        }

        // Queues [frame, frame + count) as aligned blocks without merging: the run's neighbours are
        // known not to be free buddies (a new range, or the tail of a block just taken).
        private void EnqueueRun(int r, int frame, int count)
        {
            while(count > 0)
            {
                var order = Math.Min(Math.Min(BitOperations.TrailingZeroCount(frame), BitOperations.Log2((uint)count)), MaxOrder);
                Add(r, frame, order, true);
                frame += 1 << order;
                count -= 1 << order;
            }
        }

        private void Add(int r, int frame, int order, bool atTail)
        {
            var q = r * Orders + order;
            frames[frame].Order = (sbyte)order;
            var head = queueHead[q];
            if(head == Empty)
            {
                frames[frame].Next = frame;
                frames[frame].Previous = frame;
                queueHead[q] = frame;
            }
            else
            {
                var tail = frames[head].Previous;
                frames[frame].Next = head;
                frames[frame].Previous = tail;
                frames[tail].Next = frame;
                frames[head].Previous = frame;
                if(!atTail)
                {
                    queueHead[q] = frame;
                }
            }
            queueLength[q]++;
        }

        private void Remove(int r, int frame, int order)
        {
            var q = r * Orders + order;
            var next = frames[frame].Next;
            if(next == frame)
            {
                queueHead[q] = Empty;
            }
            else
            {
                var previous = frames[frame].Previous;
                frames[previous].Next = next;
                frames[next].Previous = previous;
                if(queueHead[q] == frame)
                {
                    queueHead[q] = next;
                }
            }
            frames[frame].Order = NotAHead;
            queueLength[q]--;
        }

        private const int Orders = MaxOrder + 1;
        private const int Empty = -1;

        private readonly BuddyFrame[] frames;
        private readonly int[] rangeStart;
        private readonly int[] rangeEnd;
        private readonly int[] queueHead;
        private readonly int[] queueLength;
    }
}
