using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // Random tags and random scattered buffers: a successful load always satisfies the tag and moves
    // the right bytes both ways; a failed load changes nothing.
    public class LoadPropertyTests
    {
        public sealed record TagCase(int Window, int AlignmentLog2, int BoundaryExtra, int MaxSegmentUnits, int MaxSegments)
        {
            public DmaTagLimits Limits()
            {
                var (low, high) = Windows[Window];
                var alignment = 1UL << AlignmentLog2;
                return new DmaTagLimits
                {
                    Low = low,
                    High = high,
                    Alignment = alignment,
                    Boundary = BoundaryExtra < 0 ? 0 : alignment << (BoundaryExtra + 9),
                    MaxSegmentSize = MaxSegmentUnits == 0 ? 0 : Math.Max(alignment, 1024) * (ulong)MaxSegmentUnits,
                    MaxSegments = MaxSegments,
                    MaxSize = 0
                };
            }
        }

        public sealed record PieceCase(int Range, int Offset, int Length);

        public sealed record LoadCase(TagCase Tag, PieceCase[] Pieces, int Seed)
        {
            public override string ToString()
            {
                return $"{Tag.Limits()} pieces [{string.Join(", ", Pieces.Select(p => p.ToString()))}] seed {Seed}";
            }
        }

        private static readonly (ulong, ulong)[] Windows =
        {
            (0, IsaEnd),
            (IsaEnd, Dma32End),
            (0, Dma32End),
            (1 * MiB, 6 * GiB),
            (0, HighEnd),
            (Dma32End, HighEnd)
        };

        private static readonly string[] RangeNames = { "isa", "dma32", "high" };

        private static readonly Gen<TagCase> TagGen =
            Gen.Select(Gen.Int[0, Windows.Length - 1], Gen.Int[0, 16], Gen.Int[-1, 3], Gen.Int[0, 8], Gen.Int[1, 16])
                .Select((w, a, b, s, n) => new TagCase(w, a, b, s, n));

        private static readonly Gen<PieceCase> PieceGen =
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 5000], Gen.Int[1, 20000]).Select((r, o, l) => new PieceCase(r, o, l));

        private static readonly Gen<LoadCase> CaseGen =
            Gen.Select(TagGen, PieceGen.Array[1, 5], Gen.Int).Select((t, p, s) => new LoadCase(t, p, s));

        [Test]
        public void LoadedSegmentsAlwaysSatisfyTheTag()
        {
            var m = new TestMachine(DmaCheckerMode.Coherent);
            var baseline = m.AllocatorState();
            var outcomes = new Dictionary<DmaError, int>();
            CaseGen.Sample(c =>
            {
                var error = RunCase(m, c);
                outcomes[error] = outcomes.TryGetValue(error, out var n) ? n + 1 : 1;
                Assert.That(m.AllocatorState(), Is.EqualTo(baseline), "frames leaked");
            }, iter: 300, threads: 1, print: c => c.ToString());
            TestContext.Out.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
            // The generator must exercise both outcomes, or the property says little.
            Assert.That(outcomes.GetValueOrDefault(DmaError.None), Is.GreaterThan(50));
            Assert.That(outcomes.GetValueOrDefault(DmaError.TooManySegments), Is.GreaterThan(5));
            Assert.That(m.Findings, Is.Empty, m.DescribeFindings());
        }

        private static DmaError RunCase(TestMachine m, LoadCase c)
        {
            var layer = m.Layer;
            var limits = c.Tag.Limits();
            var tag = layer.CreateTag("prop", limits).Value;
            Assert.That(tag, Is.Not.Null, limits.ToString());
            var borrowed = new List<Segment[]>();
            var pieces = new List<Segment>();
            foreach(var p in c.Pieces)
            {
                var span = (ulong)(p.Offset + p.Length);
                var range = m.Ranges[p.Range];
                var constraints = AllocationConstraints.Window(range.Base, range.End);
                var frames = m.Allocator.Allocate(span, constraints);
                Assert.That(frames.Succeeded, frames.ToString());
                borrowed.Add(frames.Segments);
                pieces.Add(new Segment(frames.Segments[0].Address + (ulong)p.Offset, (ulong)p.Length));
            }
            var total = (ulong)c.Pieces.Sum(p => (long)p.Length);
            var data = Pattern((int)total, c.Seed);
            var at = 0;
            foreach(var piece in pieces)
            {
                m.Ram.Write(piece.Address, data.AsSpan(at, (int)piece.Length));
                at += (int)piece.Length;
            }

            var map = layer.CreateMap(tag, total + (ulong)c.Seed % 3).Value;
            var poolPages = tag.BouncePool?.Pages ?? 0;
            var before = m.AllocatorState();
            var result = layer.Load(map, pieces.ToArray());
            if(result.Succeeded)
            {
                SegmentOracle.AssertSatisfies(map, total);
                Assert.That(layer.Sync(map, 0, total, DmaSyncOperation.PreWrite | DmaSyncOperation.PreRead).Succeeded, Is.True);
                Assert.That(m.DeviceReadSegments(map), Is.EqualTo(data), "device sees the buffer");
                var reply = Pattern((int)total, c.Seed + 1);
                m.DeviceWriteSegments(map, reply);
                Assert.That(layer.Sync(map, 0, total, DmaSyncOperation.PostRead | DmaSyncOperation.PostWrite).Succeeded, Is.True);
                at = 0;
                foreach(var piece in pieces)
                {
                    Assert.That(m.CpuRead(piece.Address, (int)piece.Length), Is.EqualTo(reply.AsSpan(at, (int)piece.Length).ToArray()), "CPU sees the reply");
                    at += (int)piece.Length;
                }
                Assert.That(layer.Unload(map).Succeeded, Is.True);
            }
            else
            {
                Assert.That(result.Error, Is.EqualTo(DmaError.TooManySegments), result.ToString());
                Assert.That(map.IsLoaded, Is.False);
                Assert.That(map.Segments, Is.Empty);
                Assert.That(m.AllocatorState(), Is.EqualTo(before), "a failed load allocates nothing");
                Assert.That(tag.BouncePool?.Pages ?? 0, Is.EqualTo(poolPages), "a failed load does not grow the pool");
                // The same buffer under the same limits but with unlimited segments needs more than the map allowed.
                var unlimited = limits;
                unlimited.MaxSegments = int.MaxValue;
                var wide = layer.CreateTag("prop-unlimited", unlimited).Value;
                var wideMap = layer.CreateMap(wide, total).Value;
                Assert.That(layer.Load(wideMap, pieces.ToArray()).Succeeded, Is.True);
                Assert.That(wideMap.Segments.Count, Is.GreaterThan(map.MaxSegments));
                Assert.That(result.Message, Does.Contain($"need {wideMap.Segments.Count} segments"));
                SegmentOracle.AssertSatisfies(wideMap, total);
                layer.Unload(wideMap);
                layer.DestroyMap(wideMap);
            }
            Assert.That(layer.DestroyMap(map).Succeeded, Is.True);
            foreach(var frames in borrowed)
            {
                Assert.That(m.Allocator.Free(frames).Succeeded, Is.True);
            }
            layer.TrimBouncePools();
            return result.Error;
        }
    }
}
