using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 3: a buffer in memory above 16 MiB, borrowed through the frame-pool device, copied by
    // the 24-bit engine and then by the 32-bit engine, each through the same reference driver and
    // bus_dma. The 24-bit engine's tag covers [0, 16 MiB): its loads bounce, PREWRITE copies the
    // source into bounce pages and POSTREAD copies the result back. The 32-bit engine's tag
    // covers [0, 4 GiB): the same loads go straight to the buffer.
    public sealed class BounceCopyStep : IDemoStep
    {
        public string Title => "Bounce buffers: the 24-bit engine and the 32-bit engine copy a buffer above 16 MiB";

        public StepResult Run(DemoSettings settings, Action<double> progress = null)
        {
            return Copy(settings);
        }

        public BounceCopyResult Copy(DemoSettings settings)
        {
            var board = new EmbeddedBoard(DemoLayout.Sample());
            var pool = new FramePoolDriver(board.Bus, DemoLayout.FramePoolBase, board.DriverMemory, 4096);
            var bytes = settings.Quick ? 64UL << 10 : 1UL << 20;
            var checks = new List<StepCheck>();

            // The buffers: above the 24-bit window, below 4 GiB, in pieces as a user buffer would be.
            var source = pool.Borrow(new FrameRequest(bytes, Above24Bits, FourGiB, MaxSegments: 16, MaxSegmentSize: 64 << 10));
            var destination = pool.Borrow(new FrameRequest(bytes, Above24Bits, FourGiB, MaxSegments: 16, MaxSegmentSize: 64 << 10));
            checks.Add(new StepCheck("the buffers are borrowed above 16 MiB through the frame-pool device",
                source.Succeeded && destination.Succeeded && source.Segments.Concat(destination.Segments).All(s => s.Address >= Above24Bits),
                $"ERROR {source.Error} / {destination.Error}"));
            if(!source.Succeeded || !destination.Succeeded)
            {
                return Finish(checks, new BounceCopyResult { Bytes = bytes });
            }
            var data = new byte[bytes];
            new Random(settings.Seed).NextBytes(data);

            var tag24 = board.BusDma.CreateTag("dma24", DmaTagLimits.Window(0, 1UL << 24)).Value;
            var tag32 = board.BusDma.CreateTag("dma32", DmaTagLimits.Window(0, FourGiB)).Value;
            var copy24 = CopyWith(board, "24-bit engine", DemoLayout.Dma24Base, tag24, source.Segments, destination.Segments, data);
            var copy32 = CopyWith(board, "32-bit engine", DemoLayout.Dma32Base, tag32, source.Segments, destination.Segments, data);
            pool.Return(source.Segments);
            pool.Return(destination.Segments);

            checks.Add(new StepCheck("the 24-bit engine's copy completes and the destination equals the source",
                copy24.Error == null && copy24.BytesDone == bytes && copy24.DestinationMatchesSource, Describe(copy24, bytes)));
            checks.Add(new StepCheck("the 24-bit engine was given only bus addresses below 16 MiB", copy24.Error == null && copy24.HighestBusAddress < 1UL << 24,
                $"highest 0x{copy24.HighestBusAddress:X}"));
            checks.Add(new StepCheck("the 24-bit engine's loads bounced and the bounce counters moved",
                copy24.SourceBounced && copy24.DestinationBounced && copy24.BouncedLoads > 0 && copy24.BouncePagesInUse > 0 && copy24.BytesCopiedByBounce >= 2 * (long)bytes,
                $"bounced loads {copy24.BouncedLoads}, bounce pages in use {copy24.BouncePagesInUse}, bytes copied {copy24.BytesCopiedByBounce}"));
            checks.Add(new StepCheck("the 32-bit engine's copy completes and the destination equals the source",
                copy32.Error == null && copy32.BytesDone == bytes && copy32.DestinationMatchesSource, Describe(copy32, bytes)));
            checks.Add(new StepCheck("the 32-bit engine reached the buffer directly: no load bounced, nothing copied",
                !copy32.SourceBounced && !copy32.DestinationBounced && copy32.BouncedLoads == 0 && copy32.BouncePagesInUse == 0 && copy32.BytesCopiedByBounce == 0,
                $"bounced loads {copy32.BouncedLoads}, bounce pages in use {copy32.BouncePagesInUse}, bytes copied {copy32.BytesCopiedByBounce}"));
            checks.Add(new StepCheck("the checker found nothing to report in either driver", copy24.Findings.Count == 0 && copy32.Findings.Count == 0,
                $"{copy24.Findings.Count + copy32.Findings.Count} findings"));

            return Finish(checks, new BounceCopyResult
            {
                Bytes = bytes,
                SourcePhysical = source.Segments[0].Address,
                DestinationPhysical = destination.Segments[0].Address,
                Engine24 = copy24,
                Engine32 = copy32
            });
        }

        private static EngineCopy CopyWith(EmbeddedBoard board, string name, ulong registers, DmaTag tag, Segment[] source, Segment[] destination, byte[] data)
        {
            WriteBuffer(board, source, data);
            ClearBuffer(board, destination, (ulong)data.Length);
            var engine = new DmaEngineDriver(board.Bus, registers, 0, board.CpuMemory);
            var window = engine.ReadWindow();
            var outcome = new BusDmaCopyDriver(board, engine, tag).Copy(source, destination, (ulong)data.Length);
            var programmed = (outcome.SourceBusSegments ?? Array.Empty<Segment>()).Concat(outcome.DestinationBusSegments ?? Array.Empty<Segment>()).ToList();
            return new EngineCopy
            {
                Engine = name,
                Window = $"[0x{window.Base:X}, 0x{window.Last:X}]",
                Error = outcome.Error,
                Descriptors = outcome.Descriptors,
                LowestBusAddress = programmed.Count == 0 ? 0 : programmed.Min(s => s.Address),
                HighestBusAddress = programmed.Count == 0 ? 0 : programmed.Max(s => s.End - 1),
                SourceBounced = outcome.SourceBounced,
                DestinationBounced = outcome.DestinationBounced,
                Loads = outcome.After.Loads - outcome.Before.Loads,
                BouncedLoads = outcome.After.BouncedLoads - outcome.Before.BouncedLoads,
                BouncePagesInUse = outcome.Loaded?.BouncePagesInUse ?? 0,
                BytesCopiedByBounce = outcome.After.BytesCopied - outcome.Before.BytesCopied,
                BytesDone = outcome.Channel?.BytesDone ?? 0,
                ErrorCause = outcome.Channel?.ErrorCause ?? 0,
                DestinationMatchesSource = outcome.DestinationBytes != null && outcome.DestinationBytes.AsSpan().SequenceEqual(data),
                Findings = outcome.Findings.Select(f => f.ToString()).ToArray()
            };
        }

        private static void WriteBuffer(EmbeddedBoard board, IEnumerable<Segment> buffer, byte[] data)
        {
            var done = 0;
            foreach(var segment in buffer)
            {
                var piece = (int)Math.Min(segment.Length, (ulong)(data.Length - done));
                board.CpuMemory.TryWrite(segment.Address, data.AsSpan(done, piece));
                done += piece;
            }
        }

        private static void ClearBuffer(EmbeddedBoard board, IEnumerable<Segment> buffer, ulong length)
        {
            WriteBuffer(board, buffer, new byte[length]);
        }

        private static string Describe(EngineCopy copy, ulong bytes)
        {
            return copy.Error ?? $"{copy.BytesDone} of {bytes} bytes, ERROR_CAUSE {copy.ErrorCause}, {copy.Descriptors} descriptors";
        }

        private BounceCopyResult Finish(List<StepCheck> checks, BounceCopyResult result)
        {
            return result with
            {
                Title = Title,
                Checks = checks,
                Summary = result.Engine24 == null ? "the buffers could not be borrowed"
                    : $"{result.Bytes >> 10} KiB: 24-bit engine {result.Engine24.BouncedLoads} bounced loads, {result.Engine24.BytesCopiedByBounce >> 10} KiB bounced; "
                        + $"32-bit engine {result.Engine32.BouncedLoads} bounced loads"
            };
        }

        private const ulong Above24Bits = 1UL << 24;
        private const ulong FourGiB = 1UL << 32;
    }
}
