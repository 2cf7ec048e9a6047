using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RenodeFrameAlloc.Frames
{
    // A short LIFO of single frames in front of a list's bitmap, as in Bonwick's magazines and
    // Linux's per-CPU page lists: a single-frame allocate+free pair costs a pop, a push and one
    // word of markers instead of bitmap and summary updates, and hands out the frame used last.
    // Frees of single frames fill it; an allocation that finds it empty refills it with the free
    // frames of the lowest word that has any (lowest first), so a run of single-frame allocations
    // touches the bitmap once per word.
    //
    // A frame in the magazine is parked in the bitmap (FrameBitmap: head without tail), and its
    // list counts it as free. The single-frame paths use the magazine, page allocation takes its
    // top frame back to the bitmap (PopToBitmap), and the allocator drains it (Drain) for a
    // single frame from part of the list, for a request the list cannot serve otherwise, and to
    // report a failure; a failed call puts it back (Restore).
    //
    // Every operation that moves a frame in or out marks it in the list's bitmap, which the
    // caller passes.
    //
    // A struct held in place in its FrameList, as FrameBitmap is and for the same reason; use it
    // only in place, never a copy.
    internal struct FrameMagazine
    {
        public static FrameMagazine CreateEmpty()
        {
            return new FrameMagazine(new int[Size]);
        }

        private FrameMagazine(int[] frames)
        {
            this.frames = frames;
            count = 0;
        }

        public int Count => count;

        public long MetadataBytes => frames.Length * (long)sizeof(int);

        public bool Contains(int frame)
        {
            return Array.IndexOf(frames, frame, 0, count) >= 0;
        }

        // Parks a lone wired frame on top while there is room; false (nothing changed) when full.
        public bool TryPush(ref FrameBitmap bitmap, int frame)
        {
            if(count == frames.Length)
            {
                return false;
            }
            frames[count++] = frame;
            bitmap.Park(frame);
            return true;
        }

        // The frame on top, wired as a lone frame. Requires Count > 0.
        public int Pop(ref FrameBitmap bitmap)
        {
            Debug.Assert(count > 0, "Pop: the magazine is empty");
            var frame = frames[--count];
            bitmap.Unpark(frame);
            return frame;
        }

        // The frame on top, given back to the bitmap (free again) for a caller that takes it as
        // something else, a pageable page. Requires Count > 0.
        public int PopToBitmap(ref FrameBitmap bitmap)
        {
            Debug.Assert(count > 0, "PopToBitmap: the magazine is empty");
            var frame = frames[--count];
            bitmap.ReleaseParked(frame);
            return frame;
        }

        // Fills the empty magazine with the free frames of the lowest word that has any, as many
        // as fit, the lowest on top. False when the bitmap has no free frame.
        public bool TryRefill(ref FrameBitmap bitmap)
        {
            Debug.Assert(count == 0, $"TryRefill: the magazine holds {count} frames");
            var first = bitmap.FindFreeFrame(bitmap.FirstFrame, bitmap.EndFrame);
            if(first < 0)
            {
                return false;
            }
            var w = first >> 6;
            var rest = bitmap.FreeWord(w);
            var taken = Math.Min(BitOperations.PopCount(rest), frames.Length);
            var bits = 0UL;
            for(var i = taken - 1; i >= 0; i--)
            {
                var f = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
                bits |= 1UL << f;
                frames[i] = (w << 6) + f;
            }
            bitmap.ParkFree(w, bits);
            count = taken;
            return true;
        }

        // Gives every frame back to the bitmap; returns how many. The array keeps them, top last,
        // for Restore. Drain and Restore stay calls: inlined, they grew the single-frame slow path
        // (TryAllocateOneFrame) from 725 to 1069 bytes of code.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public int Drain(ref FrameBitmap bitmap)
        {
            var drained = count;
            while(count > 0)
            {
                PopToBitmap(ref bitmap);
            }
            return drained;
        }

        // Takes back the drained frames Drain gave back, in their order, when nothing has taken
        // any of them or used the magazine since (a failed call in between changes nothing).
        [MethodImpl(MethodImplOptions.NoInlining)]
        public void Restore(ref FrameBitmap bitmap, int drained)
        {
            Debug.Assert(count == 0, $"Restore: the magazine was used since it was drained (holds {count} frames)");
            Debug.Assert(drained >= 0 && drained <= frames.Length, $"Restore: {drained} frames, the magazine holds at most {frames.Length}");
            for(var i = 0; i < drained; i++)
            {
                bitmap.ParkFree(frames[i]);
            }
            count = drained;
        }

        [Conditional("DEBUG")]
        public void CheckInvariants(ref FrameBitmap bitmap)
        {
            for(var i = 0; i < count; i++)
            {
                var frame = frames[i];
                Debug.Assert(bitmap.IsParked(frame), $"frame {frame} in the magazine is not marked head without tail");
                Debug.Assert(Array.IndexOf(frames, frame, 0, i) < 0, $"frame {frame} is in the magazine twice");
            }
        }

        // Half a bitmap word, so that a refill leaves the word's other free frames to multi-frame
        // searches.
        private const int Size = 32;

        private readonly int[] frames;
        private int count;
    }
}
