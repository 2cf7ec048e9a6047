using System;
using System.Collections.Generic;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.BusDma
{
    // The driver-facing bus_dma(9) API over one frame allocator and one guest memory: tags, maps,
    // load/unload, the four syncs, bounce buffers, DMA memory, and the optional checker.
    //
    // Discipline: misuse by a driver (or a guest driving the layer through a device) is a returned
    // DmaResult with a distinct DmaError and a message with the numbers, never an exception, and a
    // failed operation changes nothing. Exceptions are only for building the layer wrongly (null
    // allocator or memory). Single-threaded, as Renode runs a machine's peripherals. All state is
    // plain fields, so an emulator snapshot captures it (see DmaChecker for its log sink).
    public sealed class BusDmaLayer
    {
        // allocator and memory must describe the same machine: bounce pages and DMA memory come
        // from the allocator and are read and written through memory.
        public BusDmaLayer(FrameAllocator allocator, IPhysicalMemory memory, BusDmaOptions options = null)
        {
            Allocator = allocator ?? throw new ArgumentNullException(nameof(allocator));
            Memory = memory ?? throw new ArgumentNullException(nameof(memory));
            this.options = (options ?? new BusDmaOptions()).Clone();
            if(this.options.BouncePoolLimitPages < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), "BouncePoolLimitPages must not be negative");
            }
            ulong pageSize = 0;
            var smallest = ulong.MaxValue;
            foreach(var range in allocator.Ranges)
            {
                pageSize = Math.Max(pageSize, range.PageSize);
                smallest = Math.Min(smallest, range.PageSize);
            }
            PageSize = pageSize == 0 ? BusRange.DefaultPageSize : pageSize;
            smallestPageSize = smallest == ulong.MaxValue ? PageSize : smallest;
            if(this.options.Checker != DmaCheckerMode.Off)
            {
                Checker = new DmaChecker(memory, this.options.Checker == DmaCheckerMode.NonCoherent, this.options.MaxRetainedFindings);
                cpuView = Checker.CpuView();
                deviceView = Checker.DeviceView();
            }
            tags = new List<DmaTag>();
            pools = new List<BouncePool>();
            maps = new List<DmaMap>();
            dmaMemories = new List<DmaMemory>();
            chunks = new List<Chunk>();
            copyBuffer = new byte[CopyBufferSize];
        }

        public FrameAllocator Allocator { get; }
        public IPhysicalMemory Memory { get; }
        // The largest page size of the allocator's ranges: the unit of bounce pages (at least).
        public ulong PageSize { get; }
        // Null when the options turned it off.
        public DmaChecker Checker { get; }
        // What a bus master should be given: the checker's device view, or raw memory without a checker.
        public IPhysicalMemory DeviceMemory => deviceView ?? Memory;
        // What driver code on the CPU should access buffers through: the checker's CPU view, or raw memory.
        public IPhysicalMemory CpuMemory => cpuView ?? Memory;
        public IReadOnlyList<BouncePool> BouncePools => pools;
        public IReadOnlyList<DmaTag> Tags => tags;
        // The allocator's error behind the last AllocationFailed, NoBounceMemory aside.
        public AllocationError LastAllocationError { get; private set; }

        // A root tag. Inputs: limits (see DmaTagLimits). Failure: InvalidTag with the offending
        // field; NoBounceMemory when AllocateNow cannot fill the bounce pool (nothing is kept).
        public DmaResult<DmaTag> CreateTag(string name, DmaTagLimits limits)
        {
            if(!DmaTag.TryNormalize(limits, out var normalized, out var message))
            {
                return new DmaResult<DmaTag>(DmaError.InvalidTag, $"tag '{name}': {message}");
            }
            return AddTag(name, normalized, null);
        }

        // A tag that may only narrow parent (bus_dmatag_subregion generalised to every limit).
        // Failure: InvalidArgument (foreign or null parent), InvalidTag, TagWidened naming the
        // widened limit and both values, NoBounceMemory as CreateTag.
        public DmaResult<DmaTag> DeriveTag(DmaTag parent, string name, DmaTagLimits limits)
        {
            if(!IsMine(parent))
            {
                return new DmaResult<DmaTag>(DmaError.InvalidArgument, "parent tag is null or belongs to another layer");
            }
            if(!DmaTag.TryNormalize(limits, out var normalized, out var message))
            {
                return new DmaResult<DmaTag>(DmaError.InvalidTag, $"tag '{name}': {message}");
            }
            if(!DmaTag.Narrows(parent.Limits, normalized, out message))
            {
                return new DmaResult<DmaTag>(DmaError.TagWidened, $"tag '{name}' derived from '{parent.Name}': {message}");
            }
            return AddTag(name, normalized, parent);
        }

        // NetBSD's bus_dmatag_subregion: parent's limits with the window narrowed to [low, high).
        public DmaResult<DmaTag> Subregion(DmaTag parent, string name, ulong low, ulong high)
        {
            if(!IsMine(parent))
            {
                return new DmaResult<DmaTag>(DmaError.InvalidArgument, "parent tag is null or belongs to another layer");
            }
            var limits = parent.Limits;
            limits.Low = low;
            limits.High = high;
            limits.Flags &= ~DmaTagFlags.AllocateNow;
            return DeriveTag(parent, name, limits);
        }

        // bus_dmamap_create. maxSize: the largest buffer a load may take (> 0, within the tag's
        // MaxSize). maxSegments, maxSegmentSize, boundary: 0 takes the tag's; otherwise they may
        // only tighten it. Failure: InvalidArgument, InvalidMap, TagWidened.
        public DmaResult<DmaMap> CreateMap(DmaTag tag, ulong maxSize, int maxSegments = 0, ulong maxSegmentSize = 0, ulong boundary = 0)
        {
            if(!IsMine(tag))
            {
                return new DmaResult<DmaMap>(DmaError.InvalidArgument, "tag is null or belongs to another layer");
            }
            if(maxSize == 0)
            {
                return new DmaResult<DmaMap>(DmaError.InvalidMap, "max size is 0");
            }
            if(maxSegments < 0)
            {
                return new DmaResult<DmaMap>(DmaError.InvalidMap, $"max segments {maxSegments} is negative");
            }
            var limits = tag.Limits;
            limits.MaxSize = maxSize;
            limits.MaxSegments = maxSegments == 0 ? tag.MaxSegments : maxSegments;
            limits.MaxSegmentSize = maxSegmentSize == 0 ? tag.MaxSegmentSize : maxSegmentSize;
            limits.Boundary = boundary == 0 ? tag.Boundary : boundary;
            if(!DmaTag.TryNormalize(limits, out limits, out var message))
            {
                return new DmaResult<DmaMap>(DmaError.InvalidMap, $"map for '{tag.Name}': {message}");
            }
            if(!DmaTag.Narrows(tag.Limits, limits, out message))
            {
                return new DmaResult<DmaMap>(DmaError.TagWidened, $"map for '{tag.Name}': {message}");
            }
            var map = new DmaMap(tag, ++lastMapId, maxSize, limits.MaxSegments, limits.MaxSegmentSize, limits.Boundary);
            maps.Add(map);
            return new DmaResult<DmaMap>(map);
        }

        // bus_dmamap_destroy. Failure: MapStillLoaded (the map stays; unload first), MapDestroyed.
        public DmaResult DestroyMap(DmaMap map)
        {
            var check = CheckMap(map);
            if(!check.Succeeded)
            {
                return check;
            }
            if(map.IsLoaded)
            {
                Checker?.Report(DmaFindingKind.DestroyLoaded, DmaOperation.DestroyMap, DmaSyncOperation.None, map, FirstAddress(map), map.MapSize, null,
                    "destroying a map that is still loaded");
                return new DmaResult(DmaError.MapStillLoaded, $"map #{map.Id} is loaded with 0x{map.MapSize:X} bytes; unload it first");
            }
            map.IsDestroyed = true;
            maps.Remove(map);
            return DmaResult.Ok;
        }

        // bus_dmamap_load for a buffer given as guest physical pieces (any byte addresses and
        // lengths, in buffer order). Each page-sized chunk the device cannot use as it is (outside
        // the window, or starting a segment at a misaligned address) is bounced. Guarantees on
        // success: map.Segments cover the buffer in order, every segment lies in the tag's window,
        // starts aligned, crosses no boundary, is no longer than the max segment size, and there are
        // at most MaxSegments of them. Failure: InvalidArgument, MapDestroyed, AlreadyLoaded,
        // InvalidBuffer, BufferTooLarge, TooManySegments, NoBounceMemory; the map stays unloaded
        // and nothing is allocated.
        public DmaResult Load(DmaMap map, ReadOnlySpan<Segment> buffer, DmaDirection direction = DmaDirection.Bidirectional)
        {
            return LoadPieces(map, buffer, ulong.MaxValue, direction, true);
        }

        // Load of one physically contiguous buffer.
        public DmaResult Load(DmaMap map, ulong address, ulong length, DmaDirection direction = DmaDirection.Bidirectional)
        {
            Span<Segment> one = stackalloc Segment[1];
            one[0] = new Segment(address, length);
            return LoadPieces(map, one, ulong.MaxValue, direction, true);
        }

        // bus_dmamap_load_raw: loads the first `size` bytes of segments (typically DMA memory's).
        // Raw segments are bus addresses the device must reach as they are: they are split and
        // coalesced to the limits but never bounced. Failure: as Load, plus UnreachableSegment for a
        // segment outside the window or misaligned, InvalidBuffer when segments hold fewer than size bytes.
        public DmaResult LoadRaw(DmaMap map, ReadOnlySpan<Segment> segments, ulong size, DmaDirection direction = DmaDirection.Bidirectional)
        {
            return LoadPieces(map, segments, size, direction, false);
        }

        // LoadRaw of a whole DMA memory allocation.
        public DmaResult LoadDmaMemory(DmaMap map, DmaMemory dmaMemory, DmaDirection direction = DmaDirection.Bidirectional)
        {
            if(dmaMemory == null || dmaMemory.Tag.Layer != this)
            {
                return new DmaResult(DmaError.InvalidArgument, "DMA memory is null or belongs to another layer");
            }
            if(dmaMemory.IsFreed)
            {
                return new DmaResult(DmaError.InvalidBuffer, $"DMA memory #{dmaMemory.Id} was freed");
            }
            return LoadRaw(map, dmaMemory.Segments, dmaMemory.Size, direction);
        }

        // bus_dmamap_unload: bounce pages go back to their pool. Failure: NotLoaded, MapDestroyed.
        public DmaResult Unload(DmaMap map)
        {
            var check = CheckMap(map);
            if(!check.Succeeded)
            {
                return check;
            }
            if(!map.IsLoaded)
            {
                Checker?.Report(DmaFindingKind.UnloadNotLoaded, DmaOperation.Unload, DmaSyncOperation.None, map, 0, 0, null,
                    "unloading a map that is not loaded");
                return new DmaResult(DmaError.NotLoaded, $"map #{map.Id} is not loaded");
            }
            Checker?.OnUnload(map);
            ReleaseLoad(map);
            unloads++;
            return DmaResult.Ok;
        }

        // bus_dmamap_sync over [offset, offset + length) of the loaded mapping. PREWRITE copies the
        // buffer into bounce pages; PREREAD does too (so bytes the device does not write come back
        // unchanged, and nothing of a bounce page's previous user leaks into the buffer); POSTREAD
        // copies bounce pages back into the buffer; POSTWRITE copies nothing. Failure:
        // InvalidSyncOperation, MixedSync (PRE with POST), NotLoaded, SyncOutOfRange, MapDestroyed,
        // BounceCopyFailed.
        public DmaResult Sync(DmaMap map, ulong offset, ulong length, DmaSyncOperation operations)
        {
            var check = CheckMap(map);
            if(!check.Succeeded)
            {
                return check;
            }
            const DmaSyncOperation all = DmaSyncOperation.PreRead | DmaSyncOperation.PostRead | DmaSyncOperation.PreWrite | DmaSyncOperation.PostWrite;
            const DmaSyncOperation pre = DmaSyncOperation.PreRead | DmaSyncOperation.PreWrite;
            const DmaSyncOperation post = DmaSyncOperation.PostRead | DmaSyncOperation.PostWrite;
            if(operations == DmaSyncOperation.None || (operations & ~all) != 0)
            {
                return new DmaResult(DmaError.InvalidSyncOperation, $"sync operations 0x{(int)operations:X} are not a combination of PREREAD, POSTREAD, PREWRITE, POSTWRITE");
            }
            if((operations & pre) != 0 && (operations & post) != 0)
            {
                return new DmaResult(DmaError.MixedSync, $"sync {operations} mixes PRE and POST operations");
            }
            if(!map.IsLoaded)
            {
                Checker?.Report(DmaFindingKind.SyncOutsideMapping, DmaOperation.Sync, operations, map, offset, length, null,
                    "sync on a map that is not loaded");
                return new DmaResult(DmaError.NotLoaded, $"map #{map.Id} is not loaded");
            }
            if(offset > map.MapSize || length > map.MapSize - offset)
            {
                Checker?.Report(DmaFindingKind.SyncOutsideMapping, DmaOperation.Sync, operations, map, offset, length, null,
                    $"sync of [0x{offset:X}, +0x{length:X}) is outside the mapping of 0x{map.MapSize:X} bytes");
                return new DmaResult(DmaError.SyncOutOfRange, $"sync of offset 0x{offset:X} length 0x{length:X} is beyond the 0x{map.MapSize:X} bytes loaded in map #{map.Id}");
            }
            syncs++;
            var copied = true;
            if((operations & pre) != 0)
            {
                Checker?.BeforePreSync(map, offset, length, operations);
                if(map.IsBounced)
                {
                    copied = CopyBounce(map, offset, length, true);
                }
            }
            else
            {
                if(map.IsBounced && (operations & DmaSyncOperation.PostRead) != 0)
                {
                    copied = CopyBounce(map, offset, length, false);
                }
                Checker?.AfterPostSync(map, offset, length, operations);
            }
            if(!copied)
            {
                return new DmaResult(DmaError.BounceCopyFailed, $"map #{map.Id}: a bounce copy touched an address that is not memory (allocator ranges and memory disagree)");
            }
            return DmaResult.Ok;
        }

        // bus_dmamem_alloc: wired, unmapped frames from the allocator inside the tag's window.
        // alignment (0 = a page) and boundary (0 = the tag's) apply as in uvm_pglistalloc and are
        // tightened by the tag's; at most min(maxSegments, tag's) segments. Guarantees: every
        // segment lies in the window, starts at a multiple of the tag alignment, crosses no tag
        // boundary of a page or more (a smaller one is met by the load, which splits there). Failure: InvalidArgument, AllocationFailed (LastAllocationError names the
        // allocator's error); the allocator is unchanged.
        public DmaResult<DmaMemory> AllocateDmaMemory(DmaTag tag, ulong size, ulong alignment = 0, ulong boundary = 0, int maxSegments = 1)
        {
            if(!IsMine(tag))
            {
                return new DmaResult<DmaMemory>(DmaError.InvalidArgument, "tag is null or belongs to another layer");
            }
            // The allocator takes an alignment up to a page as a page, and checks the rest itself.
            var effectiveAlignment = Math.Max(alignment, tag.Alignment);
            var segmentsAllowed = Math.Min(maxSegments, tag.MaxSegments);
            if(tag.Alignment > smallestPageSize)
            {
                // The allocator aligns only the first segment, and a segment of a list with
                // smaller pages may start at any of its pages: every segment must be aligned for the tag.
                segmentsAllowed = Math.Min(segmentsAllowed, 1);
            }
            // Limits shorter than a page cannot be asked of the allocator; loads split segments at them.
            var boundaryAllowed = DmaTag.Tighter(boundary, tag.Boundary);
            if(boundaryAllowed < smallestPageSize)
            {
                boundaryAllowed = 0;
            }
            var maxSegmentSize = tag.MaxSegmentSize / PageSize * PageSize;
            var constraints = new AllocationConstraints
            {
                Low = tag.Low,
                High = tag.High,
                Alignment = effectiveAlignment,
                Boundary = boundaryAllowed,
                MaxSegments = segmentsAllowed,
                MaxSegmentSize = maxSegmentSize,
                PreferredRange = null
            };
            var result = Allocator.Allocate(size, constraints);
            if(!result.Succeeded)
            {
                LastAllocationError = result.Error;
                return new DmaResult<DmaMemory>(DmaError.AllocationFailed,
                    $"0x{size:X} bytes for '{tag.Name}' ({constraints}): {result.Error} ({(int)result.Error}): {result.Message}");
            }
            var dmaMemory = new DmaMemory(tag, ++lastMemoryId, size, result.Segments);
            dmaMemories.Add(dmaMemory);
            Checker?.OnAllocateMemory(dmaMemory);
            return new DmaResult<DmaMemory>(dmaMemory);
        }

        // bus_dmamem_free. Failure: MemoryStillLoaded (a loaded map covers it; nothing freed),
        // NotAllocated (already freed), InvalidArgument.
        public DmaResult FreeDmaMemory(DmaMemory dmaMemory)
        {
            if(dmaMemory == null || dmaMemory.Tag.Layer != this)
            {
                return new DmaResult(DmaError.InvalidArgument, "DMA memory is null or belongs to another layer");
            }
            var first = dmaMemory.Segments.Length > 0 ? dmaMemory.Segments[0].Address : 0;
            if(dmaMemory.IsFreed)
            {
                Checker?.Report(DmaFindingKind.FreeNotAllocated, DmaOperation.FreeMemory, DmaSyncOperation.None, null, first, dmaMemory.Size, null,
                    $"DMA memory #{dmaMemory.Id} freed twice");
                return new DmaResult(DmaError.NotAllocated, $"DMA memory #{dmaMemory.Id} was already freed");
            }
            var loader = FindMapCovering(dmaMemory);
            if(loader != null)
            {
                Checker?.Report(DmaFindingKind.FreeLoaded, DmaOperation.FreeMemory, DmaSyncOperation.None, loader, first, dmaMemory.Size, null,
                    $"freeing DMA memory #{dmaMemory.Id} that map #{loader.Id} still has loaded");
                return new DmaResult(DmaError.MemoryStillLoaded, $"DMA memory #{dmaMemory.Id} is still loaded in map #{loader.Id}; unload it first");
            }
            var error = Allocator.Free(dmaMemory.Segments);
            System.Diagnostics.Debug.Assert(error == AllocationError.None, $"allocator refused DMA memory back: {error}");
            dmaMemory.IsFreed = true;
            dmaMemories.Remove(dmaMemory);
            Checker?.OnFreeMemory(dmaMemory);
            return DmaResult.Ok;
        }

        // Gives the frames of every bounce pool allocation that no loaded map uses back to the
        // allocator; returns how many bounce pages were released.
        public int TrimBouncePools()
        {
            var released = 0;
            foreach(var pool in pools)
            {
                released += pool.Trim();
            }
            return released;
        }

        // The machine restarts: the checker reports maps still loaded and DMA memory still
        // allocated (leaks), then everything goes back to the allocator: maps are unloaded and
        // destroyed, DMA memory freed, bounce pools emptied. Tags stay. Returns the number of leaks.
        public int Reset()
        {
            var leaks = dmaMemories.Count;
            foreach(var map in maps)
            {
                if(map.IsLoaded)
                {
                    leaks++;
                }
            }
            Checker?.ReportLeaks(maps, dmaMemories);
            foreach(var map in maps)
            {
                if(map.IsLoaded)
                {
                    ReleaseLoad(map);
                }
                map.IsDestroyed = true;
            }
            maps.Clear();
            foreach(var dmaMemory in dmaMemories)
            {
                Allocator.Free(dmaMemory.Segments);
                dmaMemory.IsFreed = true;
            }
            dmaMemories.Clear();
            Checker?.Reset();
            foreach(var pool in pools)
            {
                pool.Trim();
            }
            return leaks;
        }

        public BusDmaStatistics GetStatistics()
        {
            var bouncePages = 0;
            var inUse = 0;
            foreach(var pool in pools)
            {
                bouncePages += pool.Pages;
                inUse += pool.PagesInUse;
            }
            var loaded = 0;
            foreach(var map in maps)
            {
                if(map.IsLoaded)
                {
                    loaded++;
                }
            }
            ulong memoryBytes = 0;
            foreach(var dmaMemory in dmaMemories)
            {
                memoryBytes += dmaMemory.Size;
            }
            return new BusDmaStatistics
            {
                Loads = loads,
                BouncedLoads = bouncedLoads,
                FailedLoads = failedLoads,
                Unloads = unloads,
                Syncs = syncs,
                BytesCopied = bytesCopied,
                BouncePools = pools.Count,
                BouncePages = bouncePages,
                BouncePagesInUse = inUse,
                Maps = maps.Count,
                LoadedMaps = loaded,
                DmaMemoryAllocations = dmaMemories.Count,
                DmaMemoryBytes = memoryBytes,
                Findings = Checker?.TotalFindings ?? 0
            };
        }

        private DmaResult<DmaTag> AddTag(string name, DmaTagLimits limits, DmaTag parent)
        {
            BouncePool pool = null;
            if(MayBounce(limits))
            {
                var poolsBefore = pools.Count;
                pool = FindOrCreatePool(limits);
                if((limits.Flags & DmaTagFlags.AllocateNow) != 0)
                {
                    var wanted = limits.MaxSize == 0 ? 1 : (int)Math.Min((limits.MaxSize + pool.PageSize - 1) / pool.PageSize, int.MaxValue);
                    var error = pool.Reserve(wanted, out var message);
                    if(error != DmaError.None)
                    {
                        if(pools.Count > poolsBefore)
                        {
                            pools.Remove(pool);
                        }
                        return new DmaResult<DmaTag>(error, $"tag '{name}' AllocateNow: {message}");
                    }
                }
                pool.Tags++;
            }
            var tag = new DmaTag(this, ++lastTagId, name, limits, parent);
            tag.BouncePool = pool;
            tags.Add(tag);
            return new DmaResult<DmaTag>(tag);
        }

        // A tag can need bounce pages when some memory lies outside its window or when a buffer
        // may start misaligned.
        private bool MayBounce(in DmaTagLimits limits)
        {
            if(limits.Alignment > 1)
            {
                return true;
            }
            foreach(var range in Allocator.Ranges)
            {
                if(range.Base < limits.Low || range.End > limits.High)
                {
                    return true;
                }
            }
            return false;
        }

        private BouncePool FindOrCreatePool(in DmaTagLimits limits)
        {
            foreach(var pool in pools)
            {
                if(pool.Low == limits.Low && pool.High == limits.High && pool.Alignment == limits.Alignment)
                {
                    return pool;
                }
            }
            var pageSize = Math.Max(PageSize, limits.Alignment);
            var uniform = true;
            foreach(var range in Allocator.Ranges)
            {
                uniform &= range.PageSize == pageSize;
            }
            var created = new BouncePool(Allocator, pools.Count + 1, limits.Low, limits.High, limits.Alignment, pageSize,
                options.BouncePoolLimitPages, uniform);
            pools.Add(created);
            return created;
        }

        private DmaResult LoadPieces(DmaMap map, ReadOnlySpan<Segment> buffer, ulong rawSize, DmaDirection direction, bool allowBounce)
        {
            var result = TryLoadPieces(map, buffer, rawSize, direction, allowBounce);
            if(result.Succeeded)
            {
                loads++;
                if(map.IsBounced)
                {
                    bouncedLoads++;
                }
            }
            else
            {
                failedLoads++;
            }
            return result;
        }

        private DmaResult TryLoadPieces(DmaMap map, ReadOnlySpan<Segment> buffer, ulong rawSize, DmaDirection direction, bool allowBounce)
        {
            var check = CheckMap(map);
            if(!check.Succeeded)
            {
                return check;
            }
            if(map.IsLoaded)
            {
                return new DmaResult(DmaError.AlreadyLoaded, $"map #{map.Id} is already loaded with 0x{map.MapSize:X} bytes; unload it first");
            }
            if(direction != DmaDirection.Bidirectional && direction != DmaDirection.ToDevice && direction != DmaDirection.FromDevice)
            {
                return new DmaResult(DmaError.InvalidArgument, $"direction {(int)direction} is not one of Bidirectional, ToDevice, FromDevice");
            }
            var tag = map.Tag;
            var error = PlanChunks(map, buffer, rawSize, allowBounce, out var total, out var bouncePages, out var message);
            if(error != DmaError.None)
            {
                return new DmaResult(error, message);
            }

            var pool = tag.BouncePool;
            var mark = 0;
            if(bouncePages > 0)
            {
                if(pool == null)
                {
                    // Memory the allocator's ranges do not describe lies outside the window.
                    pool = FindOrCreatePool(tag.Limits);
                    pool.Tags++;
                    tag.BouncePool = pool;
                }
                error = pool.TryTake(bouncePages, map.bouncePages, out mark, out message);
                if(error != DmaError.None)
                {
                    return new DmaResult(error, $"map #{map.Id}: {message}");
                }
            }

            var builder = new SegmentBuilder(map.segments, map.MaxSegments, map.MaxSegmentSize, map.Boundary);
            ulong offset = 0;
            var pageIndex = 0;
            ulong inPage = 0;
            var previousBounced = false;
            foreach(var chunk in chunks)
            {
                if(!chunk.Bounce)
                {
                    AddPiece(map, offset, chunk.Address, chunk.Address, chunk.Length, false);
                    builder.Add(chunk.Address, chunk.Length);
                    offset += chunk.Length;
                    previousBounced = false;
                    continue;
                }
                if(!previousBounced && inPage != 0)
                {
                    // Each run of bounced chunks starts on a fresh (aligned) bounce page.
                    pageIndex++;
                    inPage = 0;
                }
                previousBounced = true;
                var cpu = chunk.Address;
                var remaining = chunk.Length;
                while(remaining > 0)
                {
                    var take = Math.Min(remaining, pool.PageSize - inPage);
                    var bus = map.bouncePages[pageIndex] + inPage;
                    AddPiece(map, offset, cpu, bus, take, true);
                    builder.Add(bus, take);
                    offset += take;
                    cpu += take;
                    remaining -= take;
                    inPage += take;
                    if(inPage == pool.PageSize)
                    {
                        pageIndex++;
                        inPage = 0;
                    }
                }
            }

            if(builder.Overflowed)
            {
                var needed = builder.Count;
                if(map.bouncePages.Count > 0)
                {
                    pool.Return(map.bouncePages);
                    pool.ShrinkTo(mark);
                }
                map.bouncePages.Clear();
                map.segments.Clear();
                map.pieces.Clear();
                return new DmaResult(DmaError.TooManySegments,
                    $"map #{map.Id}: 0x{total:X} bytes need {needed} segments, the map allows {map.MaxSegments} "
                    + $"(max segment size {DmaTag.Describe(map.MaxSegmentSize)}, boundary {DmaTag.Describe(map.Boundary)})");
            }

            map.IsLoaded = true;
            map.MapSize = total;
            map.Direction = direction;
            Checker?.OnLoad(map);
            return DmaResult.Ok;
        }

        // Splits the buffer into chunks at page boundaries and decides which ones bounce; counts
        // the bounce pages needed. Validates the buffer on the way. rawSize: ulong.MaxValue for a
        // plain load, otherwise the bytes a raw load takes from the segments.
        private DmaError PlanChunks(DmaMap map, ReadOnlySpan<Segment> buffer, ulong rawSize, bool allowBounce,
            out ulong total, out int bouncePages, out string message)
        {
            var tag = map.Tag;
            var raw = rawSize != ulong.MaxValue;
            var limit = raw ? rawSize : ulong.MaxValue;
            chunks.Clear();
            bouncePages = 0;
            total = 0;
            for(var i = 0; i < buffer.Length && total < limit; i++)
            {
                var piece = buffer[i];
                if(piece.Length > ulong.MaxValue - piece.Address)
                {
                    message = $"map #{map.Id}: piece {i} at 0x{piece.Address:X} of 0x{piece.Length:X} bytes wraps around the address space";
                    return DmaError.InvalidBuffer;
                }
                total = Math.Min(limit, SaturatingAdd(total, piece.Length));
            }
            if(total == 0)
            {
                message = $"map #{map.Id}: the buffer is empty";
                return DmaError.InvalidBuffer;
            }
            if(raw && total < rawSize)
            {
                message = $"map #{map.Id}: raw segments hold 0x{total:X} bytes, fewer than the 0x{rawSize:X} to load";
                return DmaError.InvalidBuffer;
            }
            if(total > map.MaxSize)
            {
                message = $"map #{map.Id}: buffer of 0x{total:X} bytes is larger than the map's max size 0x{map.MaxSize:X}";
                return DmaError.BufferTooLarge;
            }
            total = 0;
            ulong runLength = 0;
            var bouncePageSize = tag.BouncePool?.PageSize ?? PageSize;
            var previousDirectEnd = ulong.MaxValue;
            for(var i = 0; i < buffer.Length && total < limit; i++)
            {
                var piece = buffer[i];
                var length = Math.Min(piece.Length, limit - total);
                if(length == 0)
                {
                    continue;
                }
                if(!Memory.IsMemory(piece.Address, length))
                {
                    message = $"map #{map.Id}: piece {i} [0x{piece.Address:X}, 0x{piece.Address + length:X}) is not memory";
                    return DmaError.InvalidBuffer;
                }
                var address = piece.Address;
                var end = piece.Address + length;
                while(address < end)
                {
                    var toPageEnd = PageSize - (address & (PageSize - 1));
                    var chunkLength = Math.Min(toPageEnd, end - address);
                    var inWindow = address >= tag.Low && chunkLength <= tag.High - Math.Min(address, tag.High);
                    var aligned = (address & (tag.Alignment - 1)) == 0;
                    var bounce = !inWindow || (!aligned && address != previousDirectEnd);
                    if(bounce && !allowBounce)
                    {
                        message = $"map #{map.Id}: raw segment {i} at 0x{address:X} "
                            + (inWindow ? $"starts a segment misaligned for alignment 0x{tag.Alignment:X}" : $"is outside the window [0x{tag.Low:X}, 0x{tag.High:X})");
                        return DmaError.UnreachableSegment;
                    }
                    chunks.Add(new Chunk(address, chunkLength, bounce));
                    if(bounce)
                    {
                        runLength += chunkLength;
                        previousDirectEnd = ulong.MaxValue;
                    }
                    else
                    {
                        bouncePages += PagesFor(runLength, bouncePageSize);
                        runLength = 0;
                        previousDirectEnd = address + chunkLength;
                    }
                    address += chunkLength;
                }
                total += length;
            }
            bouncePages += PagesFor(runLength, bouncePageSize);
            message = string.Empty;
            return DmaError.None;
        }

        private static int PagesFor(ulong bytes, ulong pageSize)
        {
            return (int)((bytes + pageSize - 1) / pageSize);
        }

        private static void AddPiece(DmaMap map, ulong offset, ulong cpu, ulong bus, ulong length, bool bounced)
        {
            var pieces = map.pieces;
            if(pieces.Count > 0)
            {
                var last = pieces[pieces.Count - 1];
                if(last.Bounced == bounced && last.CpuAddress + last.Length == cpu && last.BusAddress + last.Length == bus)
                {
                    pieces[pieces.Count - 1] = new DmaPiece(last.MapOffset, last.CpuAddress, last.BusAddress, last.Length + length, bounced);
                    return;
                }
            }
            pieces.Add(new DmaPiece(offset, cpu, bus, length, bounced));
        }

        // Copies the bounced pieces overlapping [offset, offset + length): buffer to bounce pages
        // (toDevice) or back. False when memory refused an access.
        private bool CopyBounce(DmaMap map, ulong offset, ulong length, bool toDevice)
        {
            var end = offset + length;
            var ok = true;
            var pool = map.Tag.BouncePool;
            foreach(var piece in map.pieces)
            {
                if(!piece.Bounced)
                {
                    continue;
                }
                var start = Math.Max(offset, piece.MapOffset);
                var stop = Math.Min(end, piece.MapEnd);
                while(start < stop)
                {
                    var count = (int)Math.Min((ulong)copyBuffer.Length, stop - start);
                    var cpu = piece.CpuAddress + (start - piece.MapOffset);
                    var bus = piece.BusAddress + (start - piece.MapOffset);
                    var span = copyBuffer.AsSpan(0, count);
                    ok &= toDevice
                        ? Memory.TryRead(cpu, span) && Memory.TryWrite(bus, span)
                        : Memory.TryRead(bus, span) && Memory.TryWrite(cpu, span);
                    bytesCopied += count;
                    pool.BytesCopied += count;
                    start += (ulong)count;
                }
            }
            return ok;
        }

        private void ReleaseLoad(DmaMap map)
        {
            if(map.bouncePages.Count > 0)
            {
                map.Tag.BouncePool.Return(map.bouncePages);
                map.bouncePages.Clear();
            }
            map.segments.Clear();
            map.pieces.Clear();
            map.IsLoaded = false;
            map.MapSize = 0;
            map.Direction = DmaDirection.Bidirectional;
        }

        private DmaMap FindMapCovering(DmaMemory dmaMemory)
        {
            foreach(var map in maps)
            {
                if(!map.IsLoaded)
                {
                    continue;
                }
                foreach(var piece in map.pieces)
                {
                    foreach(var segment in dmaMemory.Segments)
                    {
                        if(piece.CpuAddress < segment.End && segment.Address < piece.CpuAddress + piece.Length)
                        {
                            return map;
                        }
                    }
                }
            }
            return null;
        }

        private DmaResult CheckMap(DmaMap map)
        {
            if(map == null || map.Tag.Layer != this)
            {
                return new DmaResult(DmaError.InvalidArgument, "map is null or belongs to another layer");
            }
            if(map.IsDestroyed)
            {
                return new DmaResult(DmaError.MapDestroyed, $"map #{map.Id} was destroyed");
            }
            return DmaResult.Ok;
        }

        private bool IsMine(DmaTag tag)
        {
            return tag != null && tag.Layer == this;
        }

        private static ulong FirstAddress(DmaMap map)
        {
            return map.segments.Count > 0 ? map.segments[0].Address : 0;
        }

        private static ulong SaturatingAdd(ulong a, ulong b)
        {
            return b > ulong.MaxValue - a ? ulong.MaxValue : a + b;
        }

        private int lastTagId;
        private int lastMapId;
        private int lastMemoryId;
        private long loads;
        private long bouncedLoads;
        private long failedLoads;
        private long unloads;
        private long syncs;
        private long bytesCopied;

        private readonly BusDmaOptions options;
        private readonly IPhysicalMemory cpuView;
        private readonly IPhysicalMemory deviceView;
        // The smallest page size of the allocator's ranges: the limit below which it refuses a boundary.
        private readonly ulong smallestPageSize;
        private readonly List<DmaTag> tags;
        private readonly List<BouncePool> pools;
        private readonly List<DmaMap> maps;
        private readonly List<DmaMemory> dmaMemories;
        // Scratch for the plan of the load in progress, reused by every load.
        private readonly List<Chunk> chunks;
        private readonly byte[] copyBuffer;

        private const int CopyBufferSize = 16384;

        private readonly struct Chunk
        {
            public Chunk(ulong address, ulong length, bool bounce)
            {
                Address = address;
                Length = length;
                Bounce = bounce;
            }

            public ulong Address { get; }
            public ulong Length { get; }
            public bool Bounce { get; }
        }
    }
}
