using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Drivers
{
    // A reference driver that copies a buffer with one DMA engine the way a bus_dma(9) driver
    // does: maps loaded for the source (to the device) and the destination (from the device),
    // descriptors in DMA memory of the engine's tag, the four syncs around the transfer, and the
    // engine programmed only through its registers with the bus addresses the loads returned
    // (bounce pages where the buffer lies outside the tag's window).
    public sealed class BusDmaCopyDriver
    {
        public BusDmaCopyDriver(EmbeddedBoard board, DmaEngineDriver engine, DmaTag tag)
        {
            this.board = board ?? throw new ArgumentNullException(nameof(board));
            this.engine = engine ?? throw new ArgumentNullException(nameof(engine));
            this.tag = tag ?? throw new ArgumentNullException(nameof(tag));
        }

        // Copies length bytes from the buffer at source to the one at destination (guest physical
        // segments) and reads the destination back through the CPU view. mistake leaves one sync
        // out. Everything the driver set up is torn down again, whatever happened.
        public CopyOutcome Copy(IReadOnlyList<Segment> source, IReadOnlyList<Segment> destination, ulong length, DriverMistake mistake = DriverMistake.None)
        {
            var layer = board.BusDma;
            var before = layer.GetStatistics();
            var firstFinding = layer.Checker?.TotalFindings ?? 0;
            var maps = new List<DmaMap>();
            DmaMemory descriptorMemory = null;
            try
            {
                var sourceMap = Create(maps, length);
                var destinationMap = Create(maps, length);
                Require(layer.Load(sourceMap, source.ToArray(), DmaDirection.ToDevice), "load source");
                Require(layer.Load(destinationMap, destination.ToArray(), DmaDirection.FromDevice), "load destination");

                var copies = Pair(sourceMap.Segments, destinationMap.Segments);
                var descriptorBytes = (ulong)copies.Count * DescriptorSize;
                var allocated = layer.AllocateDmaMemory(tag, descriptorBytes);
                Require(allocated, "allocate descriptor memory");
                descriptorMemory = allocated.Value;
                var descriptorMap = Create(maps, descriptorBytes);
                Require(layer.LoadDmaMemory(descriptorMap, descriptorMemory, DmaDirection.ToDevice), "load descriptors");
                var chain = descriptorMap.Segments[0].Address;
                engine.WriteChain(chain, copies, translate: false);

                Require(layer.Sync(descriptorMap, 0, descriptorBytes, DmaSyncOperation.PreWrite), "sync descriptors");
                if(mistake != DriverMistake.ForgetPreWrite)
                {
                    Require(layer.Sync(sourceMap, 0, length, DmaSyncOperation.PreWrite), "sync source");
                }
                Require(layer.Sync(destinationMap, 0, length, DmaSyncOperation.PreRead), "sync destination");
                var loaded = layer.GetStatistics();

                engine.Start(chain);
                var state = WaitForChannel();

                Require(layer.Sync(descriptorMap, 0, descriptorBytes, DmaSyncOperation.PostWrite), "sync descriptors");
                Require(layer.Sync(sourceMap, 0, length, DmaSyncOperation.PostWrite), "sync source");
                if(mistake != DriverMistake.ForgetPostRead)
                {
                    Require(layer.Sync(destinationMap, 0, length, DmaSyncOperation.PostRead), "sync destination");
                }
                var result = ReadBuffer(destination, length);
                var outcome = new CopyOutcome
                {
                    SourceBusSegments = sourceMap.Segments.ToArray(),
                    DestinationBusSegments = destinationMap.Segments.ToArray(),
                    SourceBounced = sourceMap.IsBounced,
                    DestinationBounced = destinationMap.IsBounced,
                    Descriptors = copies.Count,
                    Channel = state,
                    DestinationBytes = result,
                    Before = before,
                    Loaded = loaded
                };
                TearDown(maps, descriptorMemory);
                return outcome with { After = layer.GetStatistics(), Findings = FindingsSince(firstFinding) };
            }
            catch(DriverFailure e)
            {
                TearDown(maps, descriptorMemory);
                return new CopyOutcome { Error = e.Message, Before = before, After = layer.GetStatistics(), Findings = FindingsSince(firstFinding) };
            }
        }

        // The engine's descriptors: one per stretch where neither the source's nor the
        // destination's bus segments change.
        private static List<DmaCopy> Pair(IReadOnlyList<Segment> source, IReadOnlyList<Segment> destination)
        {
            var copies = new List<DmaCopy>();
            int s = 0, d = 0;
            ulong sOffset = 0, dOffset = 0;
            while(s < source.Count && d < destination.Count)
            {
                var length = Math.Min(Math.Min(source[s].Length - sOffset, destination[d].Length - dOffset), MaxDescriptorLength);
                copies.Add(new DmaCopy(source[s].Address + sOffset, destination[d].Address + dOffset, (uint)length));
                sOffset += length;
                dOffset += length;
                if(sOffset == source[s].Length)
                {
                    s++;
                    sOffset = 0;
                }
                if(dOffset == destination[d].Length)
                {
                    d++;
                    dOffset = 0;
                }
            }
            return copies;
        }

        private DmaChannelState WaitForChannel()
        {
            for(var rounds = 0; rounds < MaxInterrupts && board.WaitForInterrupt(); rounds++)
            {
                var state = engine.ReadState();
                if(state.Done || state.Failed)
                {
                    engine.Acknowledge();
                    return state;
                }
            }
            return engine.ReadState();
        }

        private byte[] ReadBuffer(IReadOnlyList<Segment> buffer, ulong length)
        {
            var data = new byte[length];
            var done = 0UL;
            foreach(var segment in buffer)
            {
                var piece = Math.Min(segment.Length, length - done);
                if(piece == 0)
                {
                    break;
                }
                board.CpuMemory.TryRead(segment.Address, data.AsSpan((int)done, (int)piece));
                done += piece;
            }
            return data;
        }

        private DmaMap Create(List<DmaMap> maps, ulong size)
        {
            var created = board.BusDma.CreateMap(tag, size);
            Require(created, "create map");
            maps.Add(created.Value);
            return created.Value;
        }

        private void TearDown(List<DmaMap> maps, DmaMemory descriptorMemory)
        {
            foreach(var map in maps)
            {
                if(map.IsLoaded)
                {
                    board.BusDma.Unload(map);
                }
                board.BusDma.DestroyMap(map);
            }
            if(descriptorMemory != null)
            {
                board.BusDma.FreeDmaMemory(descriptorMemory);
            }
        }

        private IReadOnlyList<DmaFinding> FindingsSince(long sequence)
        {
            return board.BusDma.Checker?.Findings.Where(f => f.Sequence > sequence).ToArray() ?? Array.Empty<DmaFinding>();
        }

        private static void Require(DmaResult result, string what)
        {
            if(!result.Succeeded)
            {
                throw new DriverFailure($"{what}: {result.Error}: {result.Message}");
            }
        }

        private readonly EmbeddedBoard board;
        private readonly DmaEngineDriver engine;
        private readonly DmaTag tag;

        private const ulong DescriptorSize = 32;
        // A descriptor's LENGTH is 32 bits.
        private const ulong MaxDescriptorLength = 1UL << 30;
        private const int MaxInterrupts = 10_000;

        // A bus_dma call the driver needs failed: the copy stops and reports it.
        private sealed class DriverFailure : Exception
        {
            public DriverFailure(string message) : base(message)
            {
            }
        }
    }
}
