using NUnit.Framework;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // The non-coherent checker makes missing syncs visible in the data, even where no bounce
    // buffer is involved (a direct map, where coherent memory would hide the bug).
    public class NonCoherentTests
    {
        [Test]
        public void DeviceSeesTheBufferAsOfTheLastPreWrite()
        {
            var m = new TestMachine(DmaCheckerMode.NonCoherent);
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            var first = Pattern((int)Page, 1);
            var second = Pattern((int)Page, 2);
            m.CpuWrite(buffer, first);
            m.Layer.Load(map, buffer, Page, DmaDirection.ToDevice);
            m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreWrite);
            m.CpuWrite(buffer, second);
            Assert.That(m.DeviceReadSegments(map), Is.EqualTo(first));
            Assert.That(m.CpuRead(buffer, (int)Page), Is.EqualTo(second), "the CPU sees its own writes");
            m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostWrite);
            m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreWrite);
            Assert.That(m.DeviceReadSegments(map), Is.EqualTo(second));
        }

        [TestCase(DmaCheckerMode.NonCoherent)]
        [TestCase(DmaCheckerMode.Coherent)]
        public void CpuSeesDeviceWritesOnlyAfterPostRead(DmaCheckerMode mode)
        {
            var m = new TestMachine(mode);
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            var old = Pattern((int)Page, 3);
            var received = Pattern((int)Page, 4);
            m.CpuWrite(buffer, old);
            m.Layer.Load(map, buffer, Page, DmaDirection.FromDevice);
            m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreRead);
            m.DeviceWriteSegments(map, received);
            var early = m.CpuRead(buffer, (int)Page);
            Assert.That(early, Is.EqualTo(mode == DmaCheckerMode.NonCoherent ? old : received));
            Assert.That(m.Checker.CountOf(DmaFindingKind.CpuReadStale), Is.EqualTo(1), "reported in both modes");
            m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostRead);
            Assert.That(m.CpuRead(buffer, (int)Page), Is.EqualTo(received));
        }

        [Test]
        public void CoherentTagMemoryBypassesTheCpuCache()
        {
            var m = new TestMachine(DmaCheckerMode.NonCoherent);
            var coherent = m.Tag("coherent", new DmaTagLimits { Low = 0, High = IsaEnd, Alignment = 1, MaxSegments = 1, Flags = DmaTagFlags.Coherent });
            var ring = m.Layer.AllocateDmaMemory(coherent, Page).Value;
            var map = m.Map(coherent, Page);
            m.Layer.LoadDmaMemory(map, ring);
            m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreWrite);
            var descriptor = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            m.CpuWrite(ring.Segments[0].Address, descriptor);
            var seen = new byte[8];
            m.Device.TryRead(ring.Segments[0].Address, seen);
            Assert.That(seen, Is.EqualTo(descriptor), "no cache between CPU and coherent memory");
            // bus_dma still requires the sync: the checker still reports it.
            Assert.That(m.Checker.CountOf(DmaFindingKind.DeviceReadStale), Is.EqualTo(1));
        }

        [Test]
        public void WriteBackCpuCacheFlushesDirtyLines()
        {
            var m = new TestMachine(DmaCheckerMode.NonCoherent);
            var buffer = m.Buffer("isa", Page);
            m.CpuWrite(buffer + 5, new byte[] { 42 });
            Assert.That(m.Ram.Read(buffer + 5, 1)[0], Is.EqualTo(0));
            m.Checker.WriteBackCpuCache();
            Assert.That(m.Ram.Read(buffer + 5, 1)[0], Is.EqualTo(42));
        }
    }
}
