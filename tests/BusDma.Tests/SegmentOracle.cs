using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // What a device relies on, checked from first principles on a loaded map.
    internal static class SegmentOracle
    {
        public static void AssertSatisfies(DmaMap map, ulong expectedBytes)
        {
            var tag = map.Tag;
            var segments = map.Segments;
            var where = $"{map} {tag}: {string.Join(", ", segments)}";
            Assert.That(segments.Count, Is.InRange(1, map.MaxSegments), where);
            Assert.That(segments.Aggregate(0UL, (sum, s) => sum + s.Length), Is.EqualTo(expectedBytes), where);
            Assert.That(map.MapSize, Is.EqualTo(expectedBytes));
            for(var i = 0; i < segments.Count; i++)
            {
                var s = segments[i];
                Assert.That(s.Length, Is.GreaterThan(0), where);
                Assert.That(s.Address >= tag.Low && s.End <= tag.High, $"segment {i} outside the window; {where}");
                Assert.That(s.Address % tag.Alignment, Is.EqualTo(0), $"segment {i} misaligned; {where}");
                if(map.MaxSegmentSize != 0)
                {
                    Assert.That(s.Length, Is.LessThanOrEqualTo(map.MaxSegmentSize), $"segment {i} too long; {where}");
                }
                if(map.Boundary != 0)
                {
                    Assert.That(s.Address / map.Boundary, Is.EqualTo((s.End - 1) / map.Boundary), $"segment {i} crosses the boundary; {where}");
                }
                if(i > 0)
                {
                    var p = segments[i - 1];
                    var sameWindow = map.Boundary == 0 || p.Address / map.Boundary == s.Address / map.Boundary;
                    var fits = map.MaxSegmentSize == 0 || p.Length + s.Length <= map.MaxSegmentSize;
                    Assert.That(p.End == s.Address && sameWindow && fits, Is.False, $"segments {i - 1} and {i} should have been coalesced; {where}");
                }
            }
        }

        public static IEnumerable<Segment> Pieces(params (ulong Address, ulong Length)[] pieces)
        {
            return pieces.Select(p => new Segment(p.Address, p.Length));
        }
    }
}
