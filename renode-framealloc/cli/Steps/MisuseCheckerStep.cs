using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Cli.Drivers;

namespace RenodeFrameAlloc.Cli.Steps
{
    // Step 5: the bus_dma checker in non-coherent mode, where a missing sync shows in the data as
    // on real hardware with caches: the CPU's writes reach the device only at PREWRITE and the
    // device's writes reach the CPU only after POSTREAD. The 32-bit engine copies a buffer three
    // times on fresh boards: with a correct driver, with one that forgets PREWRITE on the source,
    // and with one that forgets POSTREAD on the destination. The checker must name each bug and
    // stay silent for the correct driver.
    public sealed class MisuseCheckerStep : IDemoStep
    {
        public string Title => "The misuse checker catches a driver that forgets a sync";

        public StepResult Run(DemoSettings settings, Action<double> progress = null)
        {
            return Check(settings);
        }

        public MisuseCheckerResult Check(DemoSettings settings)
        {
            var bytes = settings.Quick ? 16UL << 10 : 256UL << 10;
            var data = new byte[bytes];
            new Random(settings.Seed).NextBytes(data);
            var runs = new[] { DriverMistake.None, DriverMistake.ForgetPreWrite, DriverMistake.ForgetPostRead }
                .Select(mistake => RunDriver(mistake, data))
                .ToArray();
            var correct = runs[0];
            var noPreWrite = runs[1];
            var noPostRead = runs[2];
            var checks = new List<StepCheck>
            {
                new StepCheck("the correct driver's copy arrives intact and the checker reports nothing",
                    correct.Error == null && correct.DestinationMatchesSource && correct.Findings.Count == 0,
                    correct.Error ?? $"{correct.Findings.Count} findings, {correct.DifferingBytes} bytes differ"),
                new StepCheck("forgetting PREWRITE: the checker reports the device reading a buffer the CPU did not hand over",
                    noPreWrite.FindingKinds.Contains(nameof(DmaFindingKind.DeviceAccessUnprepared)) || noPreWrite.FindingKinds.Contains(nameof(DmaFindingKind.DeviceReadStale)),
                    string.Join(", ", noPreWrite.FindingKinds.DefaultIfEmpty("no findings"))),
                new StepCheck("forgetting PREWRITE: the device copied stale memory, not what the CPU wrote", !noPreWrite.DestinationMatchesSource,
                    $"{noPreWrite.DifferingBytes} of {bytes} bytes differ"),
                new StepCheck("forgetting POSTREAD: the checker reports the CPU reading what the device wrote without POSTREAD",
                    noPostRead.FindingKinds.Contains(nameof(DmaFindingKind.CpuReadStale)), string.Join(", ", noPostRead.FindingKinds.DefaultIfEmpty("no findings"))),
                new StepCheck("forgetting POSTREAD: the CPU reads stale data", !noPostRead.DestinationMatchesSource,
                    $"{noPostRead.DifferingBytes} of {bytes} bytes differ")
            };
            return new MisuseCheckerResult
            {
                Title = Title,
                Checks = checks,
                Summary = $"correct driver: {correct.Findings.Count} findings; no PREWRITE: {noPreWrite.Findings.Count}; no POSTREAD: {noPostRead.Findings.Count}",
                Bytes = bytes,
                Runs = runs
            };
        }

        private static CheckedDriverRun RunDriver(DriverMistake mistake, byte[] data)
        {
            var board = new EmbeddedBoard(DemoLayout.Sample(), checker: DmaCheckerMode.NonCoherent);
            var pool = new FramePoolDriver(board.Bus, DemoLayout.FramePoolBase, board.DriverMemory, 64);
            var length = (ulong)data.Length;
            var source = pool.Borrow(new FrameRequest(length, 1UL << 24, 1UL << 32));
            var destination = pool.Borrow(new FrameRequest(length, 1UL << 24, 1UL << 32));
            var driver = mistake switch
            {
                DriverMistake.ForgetPreWrite => "forgets PREWRITE before the device reads the source",
                DriverMistake.ForgetPostRead => "forgets POSTREAD before the CPU reads the destination",
                _ => "syncs as bus_dma(9) says"
            };
            if(!source.Succeeded || !destination.Succeeded)
            {
                return new CheckedDriverRun { Mistake = mistake, Driver = driver, Error = $"frame pool ERROR {source.Error} / {destination.Error}",
                    FindingKinds = Array.Empty<string>(), Findings = Array.Empty<string>() };
            }
            board.CpuMemory.TryWrite(source.Segments[0].Address, data);
            var tag = board.BusDma.CreateTag("dma32", DmaTagLimits.Window(0, 1UL << 32)).Value;
            var engine = new DmaEngineDriver(board.Bus, DemoLayout.Dma32Base, 0, board.CpuMemory);
            var outcome = new BusDmaCopyDriver(board, engine, tag).Copy(source.Segments, destination.Segments, length, mistake);
            var received = outcome.DestinationBytes ?? Array.Empty<byte>();
            var differing = received.Length == data.Length ? data.Zip(received).Count(p => p.First != p.Second) : data.Length;
            return new CheckedDriverRun
            {
                Mistake = mistake,
                Driver = driver,
                Error = outcome.Error,
                DestinationMatchesSource = differing == 0,
                DifferingBytes = differing,
                FindingKinds = outcome.Findings.Select(f => f.Kind.ToString()).Distinct().ToArray(),
                Findings = outcome.Findings.Select(f => f.ToString()).ToArray()
            };
        }
    }
}
