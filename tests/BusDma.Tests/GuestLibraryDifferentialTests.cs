using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // Two implementations of one contract: the guest's C library (guest/lib, built for the host as
    // guest/build/host/busdma-diff) and this layer load the same random requests, and must agree on
    // every outcome: the error, the bytes that bounce, and the segments (those of the buffer itself
    // exactly; each run of bounce-page segments by its length, since where bounce pages are is each
    // allocator's own choice). guest/tests/host/busdma_diff.c describes the memory and the format.
    [TestFixture]
    public class GuestLibraryDifferentialTests
    {
        private const int Requests = 3000;
        private const int Seed = 20261213;
        private const ulong MiB = 1UL << 20;

        [Test]
        public void CLibraryAndBusDmaLayerAgreeOnEveryLoad()
        {
            var tool = FindOrBuildTool();
            var requests = Generate(new Random(Seed), Requests);
            var expected = requests.Select(RunHere).ToList();
            var actual = RunTool(tool, requests);

            Assert.That(actual.Count, Is.EqualTo(requests.Count), "busdma-diff answered fewer requests than it got");
            var differences = new List<string>();
            for(var i = 0; i < requests.Count; i++)
            {
                if(actual[i] != expected[i])
                {
                    differences.Add($"request {i} [{requests[i]}]:\n  C   {actual[i]}\n  C#  {expected[i]}");
                }
            }
            Assert.That(differences, Is.Empty, $"{differences.Count} of {requests.Count} requests differ; the first:\n"
                + string.Join("\n", differences.Take(5)));
            // The requests reach every outcome, or agreeing proves little.
            Assert.That(expected.Count(e => e.Contains("runs=b") || e.Contains(",b@")), Is.GreaterThan(Requests / 10), "bounced loads");
            Assert.That(expected.Count(e => e.StartsWith("ok") && !e.Contains("b@")), Is.GreaterThan(Requests / 10), "direct loads");
            Assert.That(expected.Count(e => e == "load-error EFBIG"), Is.GreaterThan(Requests / 50), "EFBIG");
            Assert.That(expected.Count(e => e == "load-error ENOMEM"), Is.GreaterThan(0), "ENOMEM");
            Assert.That(expected.Count(e => e == "load-error EINVAL"), Is.GreaterThan(0), "EINVAL");
            Assert.That(expected.Count(e => e == "tag-error EINVAL"), Is.GreaterThan(0), "bad tags");
        }

        private sealed class Request
        {
            public ulong Low, High, Alignment, Boundary, MaxSegmentSize, MapSize, Address, Length;
            public int MaxSegments;

            public override string ToString()
            {
                return $"{Low:x} {High:x} {Alignment:x} {Boundary:x} {MaxSegmentSize:x} {MaxSegments:x} {MapSize:x} {Address:x} {Length:x}";
            }
        }

        // Windows (inclusive) over pool RAM A, C and buffer RAM B, D, E; one reaches no pool RAM at all.
        private static readonly (ulong Low, ulong High)[] Windows =
        {
            (0x0, 0x1FFFFF), (0x0, 0x17FFFF), (0x0, 0xFFFFFFFF), (0x80000000, 0x801FFFFF),
            (0x80000000, 0x8017FFFF), (0x0, 0xFFFFFFFFF), (0x100000, 0x1FFFFF),
        };
        private static readonly ulong[] BufferBases = { 0x100000, 0x80100000, 0x100000000 };
        private static readonly ulong[] Alignments = { 1, 1, 1, 2, 4, 8, 64, 512, 4096, 8192 };
        private static readonly ulong[] Boundaries = { 0, 0, 0x1000, 0x2000, 0x4000, 0x10000 };
        private static readonly ulong[] MaxSegmentSizes = { 0, 0, 0x400, 0x1000, 0x1800, 0x3000 };

        private static List<Request> Generate(Random random, int count)
        {
            var list = new List<Request>();
            for(var i = 0; i < count; i++)
            {
                var window = Windows[random.Next(Windows.Length)];
                var length = (ulong)random.Next(1, 0x6001);
                var bufferBase = BufferBases[random.Next(BufferBases.Length)];
                var r = new Request
                {
                    Low = window.Low,
                    High = window.High,
                    Alignment = Alignments[random.Next(Alignments.Length)],
                    Boundary = Boundaries[random.Next(Boundaries.Length)],
                    MaxSegmentSize = MaxSegmentSizes[random.Next(MaxSegmentSizes.Length)],
                    MaxSegments = random.Next(8) == 0 ? 64 : random.Next(1, 13),
                    Length = length,
                    MapSize = random.Next(10) == 0 ? length - 1 + (length == 1 ? 1UL : 0) : length + (ulong)random.Next(0x1000),
                    Address = bufferBase + (ulong)random.Next(0, (int)(MiB - length)),
                };
                list.Add(r);
            }
            return list;
        }

        // The same machine as busdma_diff.c: the allocator hands out A and C; B, D, E are RAM too.
        private readonly BusRange[] poolRanges =
        {
            new BusRange("a", 0x0, MiB), new BusRange("c", 0x80000000, MiB),
        };

        private BusDmaLayer layer;

        private string RunHere(Request r)
        {
            if(layer == null)
            {
                var ram = new PhysicalRam(poolRanges.Concat(BufferBases.Select((b, i) => new BusRange($"buffer{i}", b, MiB))));
                layer = new BusDmaLayer(new FrameAllocator(poolRanges), ram, new BusDmaOptions { Checker = DmaCheckerMode.Off });
            }
            var limits = new DmaTagLimits
            {
                Low = r.Low,
                High = r.High + 1,
                Alignment = r.Alignment,
                Boundary = r.Boundary,
                MaxSegmentSize = r.MaxSegmentSize,
                MaxSegments = r.MaxSegments,
            };
            try
            {
                var tag = layer.CreateTag("diff", limits);
                if(!tag.Succeeded)
                {
                    return $"tag-error {Errno(tag.Error)}";
                }
                var map = layer.CreateMap(tag.Value, r.MapSize);
                if(!map.Succeeded)
                {
                    return $"map-error {Errno(map.Error)}";
                }
                var load = layer.Load(map.Value, r.Address, r.Length);
                if(!load.Succeeded)
                {
                    layer.DestroyMap(map.Value);
                    return $"load-error {Errno(load.Error)}";
                }
                var line = Canonical(map.Value, r);
                layer.Unload(map.Value);
                layer.DestroyMap(map.Value);
                return line;
            }
            finally
            {
                layer.TrimBouncePools();
            }
        }

        private static string Canonical(DmaMap map, Request r)
        {
            var text = new StringBuilder($"ok size={map.MapSize} nsegs={map.Segments.Count} runs=");
            // Chunk by chunk (the buffer cut at page boundaries): direct when the device uses the
            // buffer's own address, bounced otherwise (bounce pages are never buffer RAM here).
            var runs = new List<(bool Bounced, ulong Offset, ulong Length)>();
            ulong offset = 0;
            while(offset < r.Length)
            {
                var address = r.Address + offset;
                var chunk = Math.Min(r.Length - offset, 0x1000 - (address & 0xFFF));
                Assert.That(map.TryGetBusAddress(offset, out var bus), Is.True);
                var bounced = bus != address;
                if(runs.Count > 0 && runs[runs.Count - 1].Bounced == bounced)
                {
                    var last = runs[runs.Count - 1];
                    runs[runs.Count - 1] = (bounced, last.Offset, last.Length + chunk);
                }
                else
                {
                    runs.Add((bounced, offset, chunk));
                }
                offset += chunk;
            }
            text.Append(string.Join(",", runs.Select(x => $"{(x.Bounced ? 'b' : 'd')}@{x.Offset}+{x.Length}")));
            text.Append(" segs=");
            var parts = new List<string>();
            ulong bounceRun = 0;
            foreach(var segment in map.Segments)
            {
                if(IsBufferRam(segment.Address))
                {
                    if(bounceRun > 0)
                    {
                        parts.Add($"B+{bounceRun}");
                        bounceRun = 0;
                    }
                    parts.Add($"{segment.Address:x}+{segment.Length}");
                }
                else
                {
                    bounceRun += segment.Length;
                }
            }
            if(bounceRun > 0)
            {
                parts.Add($"B+{bounceRun}");
            }
            text.Append(string.Join(",", parts));
            return text.ToString();
        }

        private static bool IsBufferRam(ulong address)
        {
            return BufferBases.Any(b => address >= b && address < b + MiB);
        }

        private static string Errno(DmaError error)
        {
            switch(error)
            {
            case DmaError.TooManySegments:
                return "EFBIG";
            case DmaError.NoBounceMemory:
                return "ENOMEM";
            case DmaError.AlreadyLoaded:
                return "EBUSY";
            default:
                return "EINVAL";
            }
        }

        private static List<string> RunTool(string tool, List<Request> requests)
        {
            var start = new ProcessStartInfo(tool)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASAN_OPTIONS"] = "detect_leaks=0";
            using(var process = Process.Start(start))
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                foreach(var r in requests)
                {
                    process.StandardInput.WriteLine(r.ToString());
                }
                process.StandardInput.Close();
                Assert.That(process.WaitForExit(120000), Is.True, "busdma-diff did not finish in 2 minutes");
                Assert.That(process.ExitCode, Is.EqualTo(0), $"busdma-diff failed: {errors.Result}");
                return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            }
        }

        // ./test.sh builds guest/ first; run alone, the test builds the tool itself when make and a C
        // compiler are there, and is skipped (saying why) when they are not.
        private static string FindOrBuildTool()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while(root != null && !File.Exists(Path.Combine(root.FullName, "renode-framealloc.sln")))
            {
                root = root.Parent;
            }
            Assert.That(root, Is.Not.Null, "no renode-framealloc.sln above the test binary");
            var guest = Path.Combine(root.FullName, "guest");
            var tool = Path.Combine(guest, "build", "host", "busdma-diff");
            if(!File.Exists(tool))
            {
                try
                {
                    using(var make = Process.Start(new ProcessStartInfo("make", $"-s -C \"{guest}\" build/host/busdma-diff")
                    {
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                        UseShellExecute = false,
                    }))
                    {
                        make.StandardOutput.ReadToEnd();
                        make.StandardError.ReadToEnd();
                        make.WaitForExit();
                    }
                }
                catch(System.ComponentModel.Win32Exception)
                {
                    // No make on this machine: reported below.
                }
            }
            if(!File.Exists(tool))
            {
                Assert.Ignore($"{tool} is not built and `make -C guest build/host/busdma-diff` could not build it (needs make and a C compiler)");
            }
            return tool;
        }
    }
}
