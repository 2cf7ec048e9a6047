using System.Linq;
using NUnit.Framework;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    public class SyncTests
    {
        [TestCase(DmaSyncOperation.PreRead | DmaSyncOperation.PostRead)]
        [TestCase(DmaSyncOperation.PreWrite | DmaSyncOperation.PostWrite)]
        [TestCase(DmaSyncOperation.PreWrite | DmaSyncOperation.PostRead)]
        [TestCase(DmaSyncOperation.PreRead | DmaSyncOperation.PreWrite | DmaSyncOperation.PostRead | DmaSyncOperation.PostWrite)]
        public void MixingPreAndPostIsAnErrorThatDoesNothing(DmaSyncOperation operations)
        {
            var m = new TestMachine();
            var (map, buffer) = LoadedBouncedMap(m, 2 * Page);
            m.CpuWrite(buffer, Pattern(2 * (int)Page, 1));
            var result = m.Layer.Sync(map, 0, map.MapSize, operations);
            Assert.That(result.Error, Is.EqualTo(DmaError.MixedSync));
            Assert.That(result.Message, Does.Contain("mixes PRE and POST"));
            Assert.That(m.Layer.GetStatistics().BytesCopied, Is.EqualTo(0));
            Assert.That(m.Layer.GetStatistics().Syncs, Is.EqualTo(0));
            // Nothing was prepared: the device reading now is still unprepared.
            m.DeviceReadSegments(map);
            Assert.That(m.Findings.Select(f => f.Kind), Is.EqualTo(new[] { DmaFindingKind.DeviceAccessUnprepared }));
        }

        [Test]
        public void PreOperationsCombineAndPostOperationsCombine()
        {
            var m = new TestMachine();
            var (map, _) = LoadedBouncedMap(m, Page);
            Assert.That(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreRead | DmaSyncOperation.PreWrite).Succeeded, Is.True);
            Assert.That(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostRead | DmaSyncOperation.PostWrite).Succeeded, Is.True);
            // PREREAD|PREWRITE fills the bounce pages once; POSTREAD copies back once.
            Assert.That(m.Layer.GetStatistics().BytesCopied, Is.EqualTo(2 * Page));
        }

        [TestCase(DmaSyncOperation.None)]
        [TestCase((DmaSyncOperation)16)]
        [TestCase(DmaSyncOperation.PreWrite | (DmaSyncOperation)64)]
        public void UnknownOperationsAreRefused(DmaSyncOperation operations)
        {
            var m = new TestMachine();
            var (map, _) = LoadedBouncedMap(m, Page);
            Assert.That(m.Layer.Sync(map, 0, Page, operations).Error, Is.EqualTo(DmaError.InvalidSyncOperation));
        }

        [Test]
        public void SyncOutsideTheLoadedSizeOrOfAnUnloadedMapFails()
        {
            var m = new TestMachine();
            var (map, _) = LoadedBouncedMap(m, 2 * Page);
            var beyond = m.Layer.Sync(map, Page, Page + 1, DmaSyncOperation.PreWrite);
            Assert.That(beyond.Error, Is.EqualTo(DmaError.SyncOutOfRange));
            Assert.That(beyond.Message, Does.Contain("0x1000").And.Contain("0x1001").And.Contain("0x2000"));
            Assert.That(m.Layer.Sync(map, ulong.MaxValue, 2, DmaSyncOperation.PreWrite).Error, Is.EqualTo(DmaError.SyncOutOfRange));
            Assert.That(m.Layer.Sync(map, 2 * Page, 0, DmaSyncOperation.PreWrite).Succeeded, Is.True, "an empty sync at the end is inside");
            m.Layer.Unload(map);
            Assert.That(m.Layer.Sync(map, 0, 1, DmaSyncOperation.PreWrite).Error, Is.EqualTo(DmaError.NotLoaded));
            Assert.That(m.Findings.Count(f => f.Kind == DmaFindingKind.SyncOutsideMapping), Is.EqualTo(3));
        }

        [Test]
        public void PartialSyncCopiesOnlyItsRange()
        {
            var m = new TestMachine();
            var (map, buffer) = LoadedBouncedMap(m, 4 * Page);
            var data = Pattern(4 * (int)Page, 2);
            m.CpuWrite(buffer, data);
            Assert.That(m.Layer.Sync(map, Page + 10, 100, DmaSyncOperation.PreWrite).Succeeded, Is.True);
            Assert.That(m.Layer.GetStatistics().BytesCopied, Is.EqualTo(100));
            Assert.That(map.TryGetBusAddress(Page + 10, out var bus), Is.True);
            Assert.That(m.Ram.Read(bus, 100), Is.EqualTo(data.Skip((int)Page + 10).Take(100)));
            Assert.That(map.TryGetBusAddress(0, out var start), Is.True);
            Assert.That(m.Ram.Read(start, 16), Is.Not.EqualTo(data.Take(16)), "bytes outside the synced range were not copied");
        }

        private static (DmaMap, ulong) LoadedBouncedMap(TestMachine m, ulong size)
        {
            var map = m.Map(m.IsaTag(), size);
            var buffer = m.Buffer("high", size);
            Assert.That(m.Layer.Load(map, buffer, size).Succeeded, Is.True);
            Assert.That(map.IsBounced, Is.True);
            return (map, buffer);
        }
    }
}
