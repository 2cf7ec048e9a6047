using System;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using RenodeFrameAlloc.Bench.Baselines;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Bench
{
    // Issue 2's performance targets, each against its baseline in the same run (bench/README.md):
    // - SingleFrame: allocate and free one frame on fresh memory; baseline the buddy allocator.
    //   The frame allocator through its single-frame calls (TryAllocateFrame, FreeFrame), as the
    //   baselines through theirs, and once more through the general span calls (SingleFrameSpan).
    // - SingleFrameBatch: allocate 64 frames one by one, then free them; time per frame. Most
    //   frames then come from and go to the bitmap, not the frame allocator's few hot frames.
    // - Contiguous16: allocate and free 16 contiguous frames, 64 KiB aligned, not crossing 64 KiB,
    //   within [0, 4 GiB), with half of all frames taken at random; baseline the next-fit scan.
    // Every setup builds only the allocator its benchmark uses and checks it before measuring; every
    // benchmark body throws if an allocation fails, so no failure is ever timed as a success.
    // The frame allocator's bodies are never inlined: BenchmarkDotNet calls them through a delegate,
    // and a paired comparison (PairedSubject) calls them directly, so both time the same code.
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class FrameAllocatorBenchmarks
    {
        public const string SingleFrame = "SingleFrame";
        public const string SingleFrameBatch = "SingleFrameBatch";
        public const string Contiguous16 = "Contiguous16";
        public const int BatchFrames = 64;

        [Params(BenchmarkLayout.FourGiBFrames, BenchmarkLayout.SixtyFourGiBFrames)]
        public int FrameCount;

        [GlobalSetup(Targets = new[] { nameof(FrameAllocatorSingleFrame), nameof(FrameAllocatorSingleFrameSpan), nameof(FrameAllocatorSingleFrameBatch) })]
        public void SetUpFrameAllocatorSingleFrame()
        {
            frameAllocator = new FrameAllocator(BenchmarkLayout.Ranges(FrameCount));
            SetupChecks.SingleFrames(FrameCount, () => AllocateOneFrame(frameAllocator), a => FreeOneFrame(frameAllocator, a));
        }

        [GlobalSetup(Targets = new[] { nameof(BuddySingleFrame), nameof(BuddySingleFrameBatch) })]
        public void SetUpBuddySingleFrame()
        {
            buddy = new BuddyAllocator(BenchmarkLayout.Ranges(FrameCount));
            SetupChecks.SingleFrames(FrameCount, () => buddy.TryAllocatePages(0, out var a) ? a : throw new InvalidOperationException("buddy: no frame"), a => buddy.FreePages(a, 0));
        }

        [GlobalSetup(Targets = new[] { nameof(NextFitSingleFrame), nameof(NextFitSingleFrameBatch) })]
        public void SetUpNextFitSingleFrame()
        {
            nextFit = new NextFitAllocator(BenchmarkLayout.Ranges(FrameCount));
            SetupChecks.SingleFrames(FrameCount, () => nextFit.TryAllocateFrame(0, ulong.MaxValue, out var a) ? a : throw new InvalidOperationException("next-fit: no frame"), a =>
            {
                if(!nextFit.Free(a, 1))
                {
                    throw new InvalidOperationException($"next-fit: free of 0x{a:X} refused");
                }
            });
        }

        [GlobalSetup(Target = nameof(FrameAllocatorContiguous16))]
        public void SetUpFrameAllocatorContiguous16()
        {
            state = new HalfTakenMemory(FrameCount);
            frameAllocator = new FrameAllocator(BenchmarkLayout.Ranges(FrameCount));
            state.ApplyTo(frameAllocator);
            SetupChecks.FreeFrames(state, "FrameAllocator", FreeFramesOf(frameAllocator));
            SetupChecks.EveryFreeBlockFound(state, "FrameAllocator", () => TryAllocateBlock(frameAllocator), a => FreeBlock(frameAllocator, a));
        }

        [GlobalSetup(Target = nameof(BuddyContiguous16))]
        public void SetUpBuddyContiguous16()
        {
            state = new HalfTakenMemory(FrameCount);
            buddy = new BuddyAllocator(BenchmarkLayout.Ranges(FrameCount));
            state.ApplyTo(buddy);
            SetupChecks.FreeFrames(state, "buddy", buddy.FreeFrames);
            SetupChecks.EveryFreeBlockFound(state, "buddy", () => TryAllocateBlock(buddy), a => buddy.FreeContiguous(a, HalfTakenMemory.BlockFrames));
        }

        [GlobalSetup(Target = nameof(NextFitContiguous16))]
        public void SetUpNextFitContiguous16()
        {
            state = new HalfTakenMemory(FrameCount);
            nextFit = new NextFitAllocator(BenchmarkLayout.Ranges(FrameCount));
            state.ApplyTo(nextFit);
            SetupChecks.FreeFrames(state, "next-fit", nextFit.FreeFrames);
            SetupChecks.EveryFreeBlockFound(state, "next-fit", () => TryAllocateBlock(nextFit), a =>
            {
                if(!nextFit.Free(a, HalfTakenMemory.BlockFrames))
                {
                    throw new InvalidOperationException($"next-fit: free of 0x{a:X} refused");
                }
            });
        }

        [GlobalCleanup]
        public void CleanUp()
        {
            frameAllocator = null;
            buddy = null;
            nextFit = null;
            state = null;
        }

        [Benchmark]
        [BenchmarkCategory(SingleFrame)]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public ulong FrameAllocatorSingleFrame()
        {
            var error = frameAllocator.TryAllocateFrame(0, ulong.MaxValue, out var frame);
            if(error != AllocationError.None || frameAllocator.FreeFrame(frame.Address) != AllocationError.None)
            {
                Fail(frameAllocator, error);
            }
            return frame.Address;
        }

        [Benchmark]
        [BenchmarkCategory(SingleFrame)]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public ulong FrameAllocatorSingleFrameSpan()
        {
            Span<Segment> one = stackalloc Segment[1];
            var error = frameAllocator.TryAllocate(BenchmarkLayout.PageSize, in anyFrame, one, out var count);
            if(error != AllocationError.None || frameAllocator.Free(one.Slice(0, count)) != AllocationError.None)
            {
                Fail(frameAllocator, error);
            }
            return one[0].Address;
        }

        [Benchmark(Baseline = true)]
        [BenchmarkCategory(SingleFrame)]
        public ulong BuddySingleFrame()
        {
            if(!buddy.TryAllocatePages(0, out var address))
            {
                throw new InvalidOperationException("buddy: no frame");
            }
            buddy.FreePages(address, 0);
            return address;
        }

        [Benchmark]
        [BenchmarkCategory(SingleFrame)]
        public ulong NextFitSingleFrame()
        {
            if(!nextFit.TryAllocateFrame(0, ulong.MaxValue, out var address))
            {
                throw new InvalidOperationException("next-fit: no frame");
            }
            nextFit.Free(address, 1);
            return address;
        }

        [Benchmark(OperationsPerInvoke = BatchFrames)]
        [BenchmarkCategory(SingleFrameBatch)]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public ulong FrameAllocatorSingleFrameBatch()
        {
            var frames = batch;
            for(var i = 0; i < frames.Length; i++)
            {
                var error = frameAllocator.TryAllocateFrame(0, ulong.MaxValue, out var frame);
                if(error != AllocationError.None)
                {
                    Fail(frameAllocator, error);
                }
                frames[i] = frame.Address;
            }
            for(var i = 0; i < frames.Length; i++)
            {
                if(frameAllocator.FreeFrame(frames[i]) != AllocationError.None)
                {
                    Fail(frameAllocator, AllocationError.None, frames[i]);
                }
            }
            return frames[frames.Length - 1];
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = BatchFrames)]
        [BenchmarkCategory(SingleFrameBatch)]
        public ulong BuddySingleFrameBatch()
        {
            var frames = batch;
            for(var i = 0; i < frames.Length; i++)
            {
                if(!buddy.TryAllocatePages(0, out frames[i]))
                {
                    throw new InvalidOperationException("buddy: no frame");
                }
            }
            for(var i = 0; i < frames.Length; i++)
            {
                buddy.FreePages(frames[i], 0);
            }
            return frames[frames.Length - 1];
        }

        [Benchmark(OperationsPerInvoke = BatchFrames)]
        [BenchmarkCategory(SingleFrameBatch)]
        public ulong NextFitSingleFrameBatch()
        {
            var frames = batch;
            for(var i = 0; i < frames.Length; i++)
            {
                if(!nextFit.TryAllocateFrame(0, ulong.MaxValue, out frames[i]))
                {
                    throw new InvalidOperationException("next-fit: no frame");
                }
            }
            for(var i = 0; i < frames.Length; i++)
            {
                nextFit.Free(frames[i], 1);
            }
            return frames[frames.Length - 1];
        }

        [Benchmark]
        [BenchmarkCategory(Contiguous16)]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public ulong FrameAllocatorContiguous16()
        {
            Span<Segment> one = stackalloc Segment[1];
            var error = frameAllocator.TryAllocate(HalfTakenMemory.BlockBytes, in BlockConstraints, one, out var count);
            if(error != AllocationError.None || frameAllocator.Free(one.Slice(0, count)) != AllocationError.None)
            {
                Fail(frameAllocator, error);
            }
            return one[0].Address;
        }

        [Benchmark]
        [BenchmarkCategory(Contiguous16)]
        public ulong BuddyContiguous16()
        {
            var address = TryAllocateBlock(buddy) ?? throw new InvalidOperationException("buddy: no block");
            buddy.FreeContiguous(address, HalfTakenMemory.BlockFrames);
            return address;
        }

        [Benchmark(Baseline = true)]
        [BenchmarkCategory(Contiguous16)]
        public ulong NextFitContiguous16()
        {
            var address = TryAllocateBlock(nextFit) ?? throw new InvalidOperationException("next-fit: no block");
            nextFit.Free(address, HalfTakenMemory.BlockFrames);
            return address;
        }

        // For the smoke run: the state the Contiguous16 setups built, and the free frames of whichever
        // allocator the last setup built.
        public HalfTakenMemory State => state;

        public long FreeFramesNow()
        {
            if(frameAllocator != null)
            {
                return FreeFramesOf(frameAllocator);
            }
            return buddy?.FreeFrames ?? nextFit?.FreeFrames ?? throw new InvalidOperationException("no setup has run");
        }

        public static long FreeFramesOf(FrameAllocator allocator)
        {
            long free = 0;
            foreach(var range in allocator.GetStatistics())
            {
                free += range.Free;
            }
            return free;
        }

        // Out of line: an interpolated message in a body would give every call a larger frame to
        // set up (the baselines' bodies throw with constant strings).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Fail(FrameAllocator allocator, AllocationError error, ulong freeing = ulong.MaxValue)
        {
            throw new InvalidOperationException(freeing == ulong.MaxValue
                ? $"FrameAllocator: {error} {allocator.LastFailureMessage}"
                : $"FrameAllocator: free of 0x{freeing:X}: {allocator.LastFailureMessage}");
        }

        private static ulong AllocateOneFrame(FrameAllocator allocator)
        {
            Span<Segment> one = stackalloc Segment[1];
            var error = allocator.TryAllocate(BenchmarkLayout.PageSize, in anyFrame, one, out _);
            if(error != AllocationError.None)
            {
                throw new InvalidOperationException($"FrameAllocator: {error}");
            }
            return one[0].Address;
        }

        private static void FreeOneFrame(FrameAllocator allocator, ulong address)
        {
            ReadOnlySpan<Segment> one = stackalloc Segment[] { new Segment(address, BenchmarkLayout.PageSize) };
            var error = allocator.Free(one);
            if(error != AllocationError.None)
            {
                throw new InvalidOperationException($"FrameAllocator: free of 0x{address:X}: {error}");
            }
        }

        private static ulong? TryAllocateBlock(FrameAllocator allocator)
        {
            Span<Segment> one = stackalloc Segment[1];
            var error = allocator.TryAllocate(HalfTakenMemory.BlockBytes, in BlockConstraints, one, out _);
            return error == AllocationError.None ? one[0].Address : null;
        }

        private static void FreeBlock(FrameAllocator allocator, ulong address)
        {
            ReadOnlySpan<Segment> one = stackalloc Segment[] { new Segment(address, HalfTakenMemory.BlockBytes) };
            var error = allocator.Free(one);
            if(error != AllocationError.None)
            {
                throw new InvalidOperationException($"FrameAllocator: free of 0x{address:X}: {error}");
            }
        }

        private static ulong? TryAllocateBlock(BuddyAllocator allocator)
        {
            return allocator.TryAllocateContiguous(HalfTakenMemory.BlockFrames, 0, BenchmarkLayout.FourGiB, BlockAlignment, BlockAlignment, out var address)
                ? address : null;
        }

        private static ulong? TryAllocateBlock(NextFitAllocator allocator)
        {
            return allocator.TryAllocateContiguous(HalfTakenMemory.BlockFrames, 0, BenchmarkLayout.FourGiB, BlockAlignment, BlockAlignment, out var address)
                ? address : null;
        }

        private const ulong BlockAlignment = 64 << 10;

        // The constrained request of the Contiguous16 benchmarks, in uvm_pglistalloc terms.
        public static readonly AllocationConstraints BlockConstraints = new AllocationConstraints
        {
            Low = 0,
            High = BenchmarkLayout.FourGiB,
            Alignment = BlockAlignment,
            Boundary = BlockAlignment,
            MaxSegments = 1,
            MaxSegmentSize = 0,
            PreferredRange = null
        };

        private static readonly AllocationConstraints anyFrame = AllocationConstraints.Contiguous;

        private FrameAllocator frameAllocator;
        private BuddyAllocator buddy;
        private NextFitAllocator nextFit;
        private HalfTakenMemory state;
        private readonly ulong[] batch = new ulong[BatchFrames];
    }
}
