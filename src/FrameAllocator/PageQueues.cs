using System;
using System.Diagnostics;

namespace RenodeFrameAlloc.Frames
{
    // The pageable pages of one list on their queues, as FreeBSD's vm_pagequeue: an active and an
    // inactive queue per PageKind, oldest at the head, each page with a referenced mark and the
    // stamp of its last move (the pager's clock).
    //
    // Links, flags and stamps live in chunks of 4096 frames that exist only while a page of
    // theirs is queued, so memory with no pageable page costs nothing here.
    internal sealed class PageQueues
    {
        public PageQueues(int frameCount)
        {
            var chunkCount = (frameCount + ChunkSize - 1) >> ChunkShift;
            nextLinks = new int[chunkCount][];
            previousLinks = new int[chunkCount][];
            pageFlags = new byte[chunkCount][];
            pageStamps = new long[chunkCount][];
            chunkPages = new int[chunkCount];
            queueHead = new int[QueueCount];
            queueTail = new int[QueueCount];
            lengths = new long[QueueCount];
            for(var q = 0; q < QueueCount; q++)
            {
                queueHead[q] = -1;
                queueTail[q] = -1;
            }
        }

        public static int Queue(PageKind kind, bool inactive)
        {
            return ((int)kind << 1) | (inactive ? 1 : 0);
        }

        public static PageKind KindOf(int queue)
        {
            return (PageKind)(queue >> 1);
        }

        public static bool IsInactiveQueue(int queue)
        {
            return (queue & 1) != 0;
        }

        public long Queued => lengths[0] + lengths[1] + lengths[2] + lengths[3];
        public long ActiveCount => lengths[Queue(PageKind.Program, false)] + lengths[Queue(PageKind.Cache, false)];
        public long InactiveCount => lengths[Queue(PageKind.Program, true)] + lengths[Queue(PageKind.Cache, true)];
        public long CacheCount => lengths[Queue(PageKind.Cache, false)] + lengths[Queue(PageKind.Cache, true)];

        public long MetadataBytes
        {
            get
            {
                long bytes = 0;
                for(var c = 0; c < nextLinks.Length; c++)
                {
                    if(nextLinks[c] != null)
                    {
                        bytes += ChunkSize * (2L * sizeof(int) + sizeof(byte) + sizeof(long));
                    }
                }
                return bytes;
            }
        }

        public long Length(int queue)
        {
            return lengths[queue];
        }

        // The oldest page of queue, or -1.
        public int First(int queue)
        {
            return queueHead[queue];
        }

        public bool IsQueued(int frame)
        {
            var flags = pageFlags[frame >> ChunkShift];
            return flags != null && (flags[frame & ChunkMask] & FlagQueued) != 0;
        }

        // The queue of a queued page.
        public int QueueOf(int frame)
        {
            return pageFlags[frame >> ChunkShift][frame & ChunkMask] & QueueBits;
        }

        public bool IsReferenced(int frame)
        {
            return (pageFlags[frame >> ChunkShift][frame & ChunkMask] & FlagReferenced) != 0;
        }

        public void SetReferenced(int frame, bool referenced)
        {
            ref var flags = ref pageFlags[frame >> ChunkShift][frame & ChunkMask];
            flags = (byte)(referenced ? flags | FlagReferenced : flags & ~FlagReferenced);
        }

        public long Stamp(int frame)
        {
            return pageStamps[frame >> ChunkShift][frame & ChunkMask];
        }

        // Queues frame, which is no page yet, at the tail of its kind's active queue, unreferenced.
        public void Add(int frame, PageKind kind, long stamp)
        {
            Debug.Assert(!IsQueued(frame), $"Add: frame {frame} is queued already");
            var chunk = frame >> ChunkShift;
            if(pageFlags[chunk] == null)
            {
                nextLinks[chunk] = new int[ChunkSize];
                previousLinks[chunk] = new int[ChunkSize];
                pageFlags[chunk] = new byte[ChunkSize];
                pageStamps[chunk] = new long[ChunkSize];
            }
            chunkPages[chunk]++;
            Enqueue(frame, Queue(kind, false), stamp);
        }

        // Takes page frame off its queue; its chunk goes when its last page does.
        public void Remove(int frame)
        {
            Debug.Assert(IsQueued(frame), $"Remove: frame {frame} is no queued page");
            Dequeue(frame);
            var chunk = frame >> ChunkShift;
            pageFlags[chunk][frame & ChunkMask] = 0;
            if(--chunkPages[chunk] == 0)
            {
                nextLinks[chunk] = null;
                previousLinks[chunk] = null;
                pageFlags[chunk] = null;
                pageStamps[chunk] = null;
            }
        }

        // Moves page frame to the tail of queue (its referenced mark is cleared).
        public void Requeue(int frame, int queue, long stamp)
        {
            Debug.Assert(IsQueued(frame), $"Requeue: frame {frame} is no queued page");
            Debug.Assert(queue >= 0 && queue < QueueCount, $"Requeue: no queue {queue}");
            Dequeue(frame);
            Enqueue(frame, queue, stamp);
        }

        public bool AnyQueued(int start, int n)
        {
            for(var f = start; f < start + n; f++)
            {
                if(IsQueued(f))
                {
                    return true;
                }
            }
            return false;
        }

        [Conditional("DEBUG")]
        public void CheckInvariants()
        {
            for(var q = 0; q < QueueCount; q++)
            {
                Debug.Assert(lengths[q] >= 0, $"queue {q} has length {lengths[q]}");
                Debug.Assert((lengths[q] == 0) == (queueHead[q] < 0) && (queueHead[q] < 0) == (queueTail[q] < 0),
                    $"queue {q}: length {lengths[q]}, head {queueHead[q]}, tail {queueTail[q]}");
            }
        }

        private void Enqueue(int frame, int queue, long stamp)
        {
            var chunk = frame >> ChunkShift;
            var slot = frame & ChunkMask;
            pageFlags[chunk][slot] = (byte)(FlagQueued | queue);
            pageStamps[chunk][slot] = stamp;
            nextLinks[chunk][slot] = -1;
            previousLinks[chunk][slot] = queueTail[queue];
            if(queueTail[queue] >= 0)
            {
                nextLinks[queueTail[queue] >> ChunkShift][queueTail[queue] & ChunkMask] = frame;
            }
            else
            {
                queueHead[queue] = frame;
            }
            queueTail[queue] = frame;
            lengths[queue]++;
        }

        private void Dequeue(int frame)
        {
            var chunk = frame >> ChunkShift;
            var slot = frame & ChunkMask;
            var queue = pageFlags[chunk][slot] & QueueBits;
            var next = nextLinks[chunk][slot];
            var previous = previousLinks[chunk][slot];
            if(previous >= 0)
            {
                nextLinks[previous >> ChunkShift][previous & ChunkMask] = next;
            }
            else
            {
                queueHead[queue] = next;
            }
            if(next >= 0)
            {
                previousLinks[next >> ChunkShift][next & ChunkMask] = previous;
            }
            else
            {
                queueTail[queue] = previous;
            }
            lengths[queue]--;
        }

        public const int QueueCount = 4;
        private const int ChunkShift = 12;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;
        private const byte QueueBits = 0x3;
        private const byte FlagQueued = 0x4;
        private const byte FlagReferenced = 0x8;

        private readonly int[][] nextLinks;
        private readonly int[][] previousLinks;
        private readonly byte[][] pageFlags;
        private readonly long[][] pageStamps;
        private readonly int[] chunkPages;
        private readonly int[] queueHead;
        private readonly int[] queueTail;
        private readonly long[] lengths;
    }
}
