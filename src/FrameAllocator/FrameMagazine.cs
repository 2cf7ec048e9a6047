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
    // Every operation that moves a frame in or out marks it in the list's bitmap, except
    // TryPushParked, whose caller has parked the frame.
    //
    // A struct held in place in its FrameList, as FrameBitmap is and for the same reason; use it
    // only in place, never a copy. The operations that touch the bitmap are static over the list
    // that holds both: list.Magazine.count is then one access at a fixed offset from the list.
    // As instance methods taking the bitmap by ref, each inlined call held a pointer to the
    // magazine and one to the bitmap in registers besides the list, and the single-frame paths
    // spilled them to the stack (bench/README.md: 4% on the 64-frame batch). For the same
    // reason count is read and written as a value: --list.Magazine.count takes its address.
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

        // Puts a frame the caller has parked on top of list's magazine while there is room;
        // false (nothing changed) when full. The single-frame free parks the frame as its
        // lone-frame test (FrameBitmap.TryParkLone), one load of the marker words for both.
        public static bool TryPushParked(FrameList list, int frame)
        {
            Debug.Assert(list.Bitmap.IsParked(frame), $"TryPushParked: frame {frame} is not parked");
            var count = list.Magazine.count;
            if(count == list.Magazine.frames.Length)
            {
                return false;
            }
            list.Magazine.frames[count] = frame;
            list.Magazine.count = count + 1;
            return true;
        }

        // The frame on top of list's magazine, wired as a lone frame. Requires Count > 0.
        public static int Pop(FrameList list)
        {
            var count = list.Magazine.count - 1;
            Debug.Assert(count >= 0, "Pop: the magazine is empty");
            var frame = list.Magazine.frames[count];
            list.Magazine.count = count;
            list.Bitmap.Unpark(frame);
            return frame;
        }

        // The frame on top of list's magazine, given back to the bitmap (free again) for a caller
        // that takes it as something else, a pageable page. Requires Count > 0.
        public static int PopToBitmap(FrameList list)
        {
            var count = list.Magazine.count - 1;
            Debug.Assert(count >= 0, "PopToBitmap: the magazine is empty");
            var frame = list.Magazine.frames[count];
            list.Magazine.count = count;
            list.Bitmap.ReleaseParked(frame);
            return frame;
        }

        // Fills list's empty magazine with the free frames of the lowest word that has any, as
        // many as fit, the lowest on top. False when the bitmap has no free frame. A call, as
        // Drain and Restore are: with dynamic PGO the JIT inlined it (and the bitmap search and
        // summary update under it) into the single-frame slow path, TryAllocateOneFrame: 1340
        // bytes of Tier1 code against 575 before the split, when the refill was FrameList's own call.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static bool TryRefill(FrameList list)
        {
            var frames = list.Magazine.frames;
            Debug.Assert(list.Magazine.count == 0, $"TryRefill: the magazine holds {list.Magazine.count} frames");
            var first = list.Bitmap.FindFreeFrame(list.FirstFrame, list.EndFrame);
            if(first < 0)
            {
                return false;
            }
            var w = first >> 6;
            var rest = list.Bitmap.FreeWord(w);
            var taken = Math.Min(BitOperations.PopCount(rest), frames.Length);
            var bits = 0UL;
            for(var i = taken - 1; i >= 0; i--)
            {
                var f = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
                bits |= 1UL << f;
                frames[i] = (w << 6) + f;
            }
            list.Bitmap.ParkFree(w, bits);
            list.Magazine.count = taken;
            return true;
        }

        // Gives every frame of list's magazine back to the bitmap; returns how many. The array
        // keeps them, top last, for Restore. Drain and Restore stay calls: inlined, they grew the
        // single-frame slow path (TryAllocateOneFrame) from 725 to 1069 bytes of code.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Drain(FrameList list)
        {
            var drained = list.Magazine.count;
            while(list.Magazine.count > 0)
            {
                PopToBitmap(list);
            }
            return drained;
        }

        // Takes back the drained frames Drain gave back, in their order, when nothing has taken
        // any of them or used the magazine since (a failed call in between changes nothing).
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Restore(FrameList list, int drained)
        {
            var frames = list.Magazine.frames;
            Debug.Assert(list.Magazine.count == 0, $"Restore: the magazine was used since it was drained (holds {list.Magazine.count} frames)");
            Debug.Assert(drained >= 0 && drained <= frames.Length, $"Restore: {drained} frames, the magazine holds at most {frames.Length}");
            for(var i = 0; i < drained; i++)
            {
                list.Bitmap.ParkFree(frames[i]);
            }
            list.Magazine.count = drained;
        }

        [Conditional("DEBUG")]
        public static void CheckInvariants(FrameList list)
        {
            var frames = list.Magazine.frames;
            for(var i = 0; i < list.Magazine.count; i++)
            {
                var frame = frames[i];
                Debug.Assert(list.Bitmap.IsParked(frame), $"frame {frame} in the magazine is not marked head without tail");
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
