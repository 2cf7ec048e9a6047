using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // A 24-bit device ("isa" window) moving a buffer that lives in high memory.
    public class BounceRoundTripTests
    {
        [Test]
        public void DeviceReadsHighMemoryBufferThroughIsaBouncePages()
        {
            var m = new TestMachine();
            var tag = m.IsaTag();
            var map = m.Map(tag, 64 * 1024);
            var buffer = m.Buffer("high", 64 * 1024);
            var data = Pattern(64 * 1024, 1);
            m.CpuWrite(buffer, data);

            Assert.That(m.Layer.Load(map, buffer, (ulong)data.Length, DmaDirection.ToDevice).Succeeded, Is.True);
            Assert.That(map.IsBounced, Is.True);
            Assert.That(map.Segments.All(s => s.End <= IsaEnd), Is.True, string.Join(", ", map.Segments));
            Assert.That(map.Segments.Sum(s => (long)s.Length), Is.EqualTo(data.Length));

            Assert.That(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite).Succeeded, Is.True);
            Assert.That(m.DeviceReadSegments(map), Is.EqualTo(data));
            Assert.That(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite).Succeeded, Is.True);
            Assert.That(m.Layer.Unload(map).Succeeded, Is.True);

            Assert.That(m.Findings, Is.Empty, m.DescribeFindings());
            var stats = m.Layer.GetStatistics();
            Assert.That(stats.BouncedLoads, Is.EqualTo(1));
            Assert.That(stats.BytesCopied, Is.EqualTo(data.Length));
            Assert.That(stats.BouncePagesInUse, Is.EqualTo(0));
        }

        [Test]
        public void DeviceWritesReachHighMemoryBufferOnlyAtPostRead()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 64 * 1024);
            var buffer = m.Buffer("high", 64 * 1024);
            var before = Pattern(64 * 1024, 2);
            m.CpuWrite(buffer, before);

            Assert.That(m.Layer.Load(map, buffer, 64 * 1024, DmaDirection.FromDevice).Succeeded, Is.True);
            Assert.That(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreRead).Succeeded, Is.True);
            // The device fills only the first 40 KiB.
            var received = Pattern(40 * 1024, 3);
            m.DeviceWriteSegments(map, received);
            // Bounced: until POSTREAD the buffer still holds what the CPU put there.
            Assert.That(m.Ram.Read(buffer, received.Length), Is.EqualTo(before.Take(received.Length).ToArray()));

            Assert.That(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostRead).Succeeded, Is.True);
            var after = m.CpuRead(buffer, 64 * 1024);
            Assert.That(after.Take(received.Length), Is.EqualTo(received));
            // PREREAD filled the bounce pages from the buffer, so untouched bytes come back unchanged.
            Assert.That(after.Skip(received.Length), Is.EqualTo(before.Skip(received.Length)));
            Assert.That(m.Layer.Unload(map).Succeeded, Is.True);
            Assert.That(m.Findings, Is.Empty, m.DescribeFindings());
        }

        [Test]
        public void ScatteredMisalignedBufferRoundTripsAndOnlyUnreachablePartsBounce()
        {
            var m = new TestMachine();
            var tag = m.Tag("aligned-isa", new DmaTagLimits
            {
                Low = 0, High = IsaEnd, Alignment = 16, Boundary = 0, MaxSegmentSize = 0, MaxSegments = 64, MaxSize = 0
            });
            var map = m.Map(tag, 1 * MiB);
            var low = m.Buffer("isa", 3 * Page);
            var high = m.Buffer("high", 3 * Page);
            // Pieces: aligned isa (direct), misaligned isa start (bounced), high (bounced), aligned isa again.
            var pieces = new[]
            {
                new Segment(low, 5000),
                new Segment(low + 2 * Page + 3, 100),
                new Segment(high + 17, 6000),
                new Segment(low + Page + 2048, 1024)
            };
            var data = Pattern(pieces.Sum(p => (int)p.Length), 4);
            var at = 0;
            foreach(var piece in pieces)
            {
                m.CpuWrite(piece.Address, data.Skip(at).Take((int)piece.Length).ToArray());
                at += (int)piece.Length;
            }

            Assert.That(m.Layer.Load(map, pieces).Succeeded, Is.True);
            Assert.That(map.Segments.All(s => s.End <= IsaEnd && s.Address % 16 == 0), Is.True, string.Join(", ", map.Segments));
            // The first and last pieces are usable in place.
            Assert.That(map.TryGetBusAddress(0, out var first) && first == low, Is.True);
            Assert.That(map.TryGetBusAddress((ulong)data.Length - 1, out var last) && last == low + Page + 2048 + 1023, Is.True);
            Assert.That(map.IsBounced, Is.True);

            Assert.That(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite | DmaSyncOperation.PreRead).Succeeded, Is.True);
            Assert.That(m.DeviceReadSegments(map), Is.EqualTo(data));
            var reply = Pattern(data.Length, 5);
            m.DeviceWriteSegments(map, reply);
            Assert.That(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite | DmaSyncOperation.PostRead).Succeeded, Is.True);
            at = 0;
            foreach(var piece in pieces)
            {
                Assert.That(m.CpuRead(piece.Address, (int)piece.Length), Is.EqualTo(reply.Skip(at).Take((int)piece.Length).ToArray()));
                at += (int)piece.Length;
            }
            Assert.That(m.Layer.Unload(map).Succeeded, Is.True);
            Assert.That(m.Findings, Is.Empty, m.DescribeFindings());
        }

        [Test]
        public void BufferInsideTheWindowIsNotBounced()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), 64 * 1024);
            var buffer = m.Buffer("isa", 64 * 1024);
            Assert.That(m.Layer.Load(map, buffer, 64 * 1024).Succeeded, Is.True);
            Assert.That(map.IsBounced, Is.False);
            Assert.That(map.Segments, Is.EqualTo(new[] { new Segment(buffer, 64 * 1024) }));
            Assert.That(m.Layer.GetStatistics().BouncedLoads, Is.EqualTo(0));
        }
    }
}
