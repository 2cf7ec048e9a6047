using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.BusDma.Tests.TestMachine;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // Every finding of the checker, provoked by one deliberate driver bug; the same flow with the
    // bug fixed reports nothing (leaks included: each flow ends with a Reset).
    public class CheckerFindingTests
    {
        public delegate void DriverFlow(TestMachine m, bool bug);

        public static IEnumerable<TestCaseData> Flows()
        {
            yield return Flow(DmaFindingKind.DeviceAccessUnmapped, "device given the buffer's CPU address instead of the bounce segment", DeviceGivenCpuAddress);
            yield return Flow(DmaFindingKind.DeviceAccessUnprepared, "no PREWRITE before the device reads", NoPreWrite);
            yield return Flow(DmaFindingKind.DeviceAccessUnprepared, "no PREREAD before the device writes", NoPreRead);
            yield return Flow(DmaFindingKind.DeviceAccessUnprepared, "device writes a map loaded ToDevice", DeviceWritesTransmitBuffer);
            yield return Flow(DmaFindingKind.DeviceReadStale, "CPU updates the buffer after PREWRITE", CpuWritesAfterPreWrite);
            yield return Flow(DmaFindingKind.CpuReadStale, "CPU reads received data without POSTREAD", NoPostRead);
            yield return Flow(DmaFindingKind.CpuReadStale, "map unloaded without POSTREAD, then read", UnloadWithoutPostRead);
            yield return Flow(DmaFindingKind.SyncOutsideMapping, "sync of the buffer's capacity instead of the loaded size", SyncBeyondLoadedSize);
            yield return Flow(DmaFindingKind.SyncOutsideMapping, "sync after unload", SyncAfterUnload);
            yield return Flow(DmaFindingKind.SyncWrongDirection, "READ syncs on a transmit map", ReadSyncsOnTransmitMap);
            yield return Flow(DmaFindingKind.UnloadNotLoaded, "unload twice", UnloadTwice);
            yield return Flow(DmaFindingKind.DestroyLoaded, "destroy a loaded map", DestroyWhileLoaded);
            yield return Flow(DmaFindingKind.FreeLoaded, "free DMA memory still loaded", FreeWhileLoaded);
            yield return Flow(DmaFindingKind.FreeNotAllocated, "free DMA memory twice", FreeTwice);
            yield return Flow(DmaFindingKind.MapLeaked, "map still loaded at reset", ForgetUnload);
            yield return Flow(DmaFindingKind.DmaMemoryLeaked, "DMA memory still allocated at reset", ForgetFree);
            yield return Flow(DmaFindingKind.SegmentTooLong, "device reads the whole buffer in one burst past the max segment size", OneBurstPastMaxSegment);
            yield return Flow(DmaFindingKind.SegmentCrossesBoundary, "device programmed with one segment across the boundary", SegmentAcrossBoundary);
        }

        [TestCaseSource(nameof(Flows))]
        public void BugIsReported(DmaFindingKind expected, string bug, DriverFlow flow)
        {
            foreach(var mode in new[] { DmaCheckerMode.Coherent, DmaCheckerMode.NonCoherent })
            {
                var m = new TestMachine(mode);
                flow(m, true);
                m.Layer.Reset();
                Assert.That(m.Findings, Is.Not.Empty, $"{mode}: {bug}");
                Assert.That(m.Findings.Select(f => f.Kind).Distinct(), Is.EqualTo(new[] { expected }), $"{mode}: {bug}\n{m.DescribeFindings()}");
                Assert.That(m.Checker.CountOf(expected), Is.EqualTo(m.Findings.Count));
                Assert.That(m.Findings.All(f => f.ToString().Contains(expected.ToString())), Is.True);
            }
        }

        [TestCaseSource(nameof(Flows))]
        public void FixedFlowReportsNothing(DmaFindingKind expected, string bug, DriverFlow flow)
        {
            foreach(var mode in new[] { DmaCheckerMode.Coherent, DmaCheckerMode.NonCoherent })
            {
                var m = new TestMachine(mode);
                flow(m, false);
                Assert.That(m.Layer.Reset(), Is.EqualTo(0), $"{mode}: the fixed flow leaks");
                Assert.That(m.Findings, Is.Empty, $"{mode}: {m.DescribeFindings()}");
            }
        }

        [Test]
        public void FindingsCarryKindMapAddressAndOperation()
        {
            var m = new TestMachine();
            var lines = new List<string>();
            m.Checker.LogSink = lines.Add;
            var map = m.Map(m.IsaTag(), 4 * Page);
            var buffer = m.Buffer("isa", 4 * Page);
            m.Layer.Load(map, buffer, 4 * Page, DmaDirection.ToDevice);
            var data = new byte[64];
            m.Device.TryRead(buffer + 128, data);

            var finding = m.Findings.Single();
            Assert.That(finding.Kind, Is.EqualTo(DmaFindingKind.DeviceAccessUnprepared));
            Assert.That(finding.Map, Is.SameAs(map));
            Assert.That(finding.MapId, Is.EqualTo(map.Id));
            Assert.That(finding.Address, Is.EqualTo(buffer + 128));
            Assert.That(finding.Length, Is.EqualTo(64));
            Assert.That(finding.Operation, Is.EqualTo(DmaOperation.DeviceRead));
            Assert.That(finding.Device, Is.EqualTo("device"));
            Assert.That(lines, Is.EqualTo(new[] { finding.ToString() }));
            Assert.That(lines[0], Does.Contain($"map #{map.Id}").And.Contain($"0x{buffer + 128:X}").And.Contain("PREWRITE"));
        }

        [TestCase(DmaCheckerMode.Coherent)]
        [TestCase(DmaCheckerMode.NonCoherent)]
        public void AMissedPostReadIsForgottenOnceALaterCycleSyncsTheBuffer(DmaCheckerMode mode)
        {
            // The first cycle forgets POSTREAD before unloading; the second, on the same buffer,
            // is correct. Reading after the second cycle is not a stale read.
            var m = new TestMachine(mode);
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            Ok(m.Layer.Load(map, buffer, Page, DmaDirection.FromDevice));
            Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreRead));
            m.Device.TryWrite(buffer + 100, new byte[] { 9, 9, 9 });
            Ok(m.Layer.Unload(map));
            Ok(m.Layer.Load(map, buffer, Page, DmaDirection.FromDevice));
            Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreRead));
            m.Device.TryWrite(buffer + 100, new byte[] { 7, 7, 7 });
            Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostRead));
            Ok(m.Layer.Unload(map));
            Assert.That(m.CpuRead(buffer + 100, 3), Is.EqualTo(new byte[] { 7, 7, 7 }));
            Assert.That(m.Findings, Is.Empty, m.DescribeFindings());
        }

        [Test]
        public void EachDeviceViewNamesItsDevice()
        {
            var m = new TestMachine();
            var uart = m.Checker.DeviceView(device: "uart-dma");
            var disk = m.Checker.DeviceView(m.Ram, "disk-dma");
            var word = new byte[4];
            uart.TryRead(0x1000, word);
            disk.TryWrite(0x2000, word);
            Assert.That(m.Findings.Select(f => (f.Kind, f.Device, f.Operation)), Is.EqualTo(new[]
            {
                (DmaFindingKind.DeviceAccessUnmapped, "uart-dma", DmaOperation.DeviceRead),
                (DmaFindingKind.DeviceAccessUnmapped, "disk-dma", DmaOperation.DeviceWrite)
            }));
            Assert.That(m.Findings[1].ToString(), Does.Contain("by disk-dma"));
            Assert.That(m.Checker.DeviceAccesses, Is.EqualTo(2));
        }

        [Test]
        public void PollingDeviceIsReportedOncePerSyncNotOncePerAccess()
        {
            var m = new TestMachine();
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            m.Layer.Load(map, buffer, Page, DmaDirection.ToDevice);
            var word = new byte[4];
            for(var i = 0; i < 100; i++)
            {
                m.Device.TryRead(buffer, word);
            }
            Assert.That(m.Findings.Count, Is.EqualTo(1));
            // A new sync epoch: the bug is reported again if it persists.
            m.Layer.Sync(map, 0, 4, DmaSyncOperation.PostWrite);
            m.Device.TryRead(buffer, word);
            Assert.That(m.Findings.Count, Is.EqualTo(2));
        }

        [Test]
        public void CheckerOffMeansNoViewsAndNoFindingsButSameErrors()
        {
            var m = new TestMachine(DmaCheckerMode.Off);
            Assert.That(m.Checker, Is.Null);
            Assert.That(m.Layer.DeviceMemory, Is.SameAs(m.Ram));
            var map = m.Map(m.IsaTag(), Page);
            Assert.That(m.Layer.Unload(map).Error, Is.EqualTo(DmaError.NotLoaded));
        }

        private static TestCaseData Flow(DmaFindingKind kind, string bug, DriverFlow flow)
        {
            return new TestCaseData(kind, bug, flow).SetArgDisplayNames(kind.ToString(), bug);
        }

        private static void Ok(DmaResult result)
        {
            Assert.That(result.Succeeded, result.ToString());
        }

        // Transmit: CPU fills a high-memory buffer, an isa device sends it through bounce pages.
        private static void DeviceGivenCpuAddress(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 8 * Page);
            var buffer = m.Buffer("high", 8 * Page);
            var data = Pattern(8 * (int)Page, 10);
            m.CpuWrite(buffer, data);
            Ok(m.Layer.Load(map, buffer, 8 * Page, DmaDirection.ToDevice));
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
            var sent = new byte[data.Length];
            var target = bug ? buffer : map.Segments[0].Address;
            if(!bug)
            {
                sent = m.DeviceReadSegments(map);
                Assert.That(sent, Is.EqualTo(data));
            }
            else
            {
                m.Device.TryRead(target, sent);
            }
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite));
            Ok(m.Layer.Unload(map));
        }

        private static void NoPreWrite(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 4 * Page);
            var buffer = m.Buffer("isa", 4 * Page);
            var data = Pattern(4 * (int)Page, 11);
            m.CpuWrite(buffer, data);
            Ok(m.Layer.Load(map, buffer, 4 * Page, DmaDirection.ToDevice));
            if(!bug)
            {
                Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
            }
            var sent = m.DeviceReadSegments(map);
            if(!bug)
            {
                Assert.That(sent, Is.EqualTo(data));
            }
            else if(m.Checker.NonCoherent)
            {
                // The CPU's writes never left its cache: the device sent what memory held before.
                Assert.That(sent, Is.Not.EqualTo(data));
            }
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite));
            Ok(m.Layer.Unload(map));
        }

        private static void NoPreRead(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 4 * Page);
            var buffer = m.Buffer("isa", 4 * Page);
            Ok(m.Layer.Load(map, buffer, 4 * Page, DmaDirection.FromDevice));
            if(!bug)
            {
                Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreRead));
            }
            var received = Pattern(4 * (int)Page, 12);
            m.DeviceWriteSegments(map, received);
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostRead));
            Assert.That(m.CpuRead(buffer, received.Length), Is.EqualTo(received));
            Ok(m.Layer.Unload(map));
        }

        private static void DeviceWritesTransmitBuffer(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            m.CpuWrite(buffer, Pattern((int)Page, 13));
            Ok(m.Layer.Load(map, buffer, Page, bug ? DmaDirection.ToDevice : DmaDirection.Bidirectional));
            Ok(m.Layer.Sync(map, 0, map.MapSize, bug ? DmaSyncOperation.PreWrite : DmaSyncOperation.PreWrite | DmaSyncOperation.PreRead));
            m.DeviceReadSegments(map);
            // The device writes a completion word back into the buffer.
            m.Device.TryWrite(buffer, new byte[] { 1, 2, 3, 4 });
            Ok(m.Layer.Sync(map, 0, map.MapSize, bug ? DmaSyncOperation.PostWrite : DmaSyncOperation.PostWrite | DmaSyncOperation.PostRead));
            Ok(m.Layer.Unload(map));
        }

        private static void CpuWritesAfterPreWrite(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 2 * Page);
            var buffer = m.Buffer("high", 2 * Page);
            var payload = Pattern(2 * (int)Page, 14);
            var header = new byte[] { 0xAA, 0xBB, 0xCC, 0xDD };
            m.CpuWrite(buffer, payload);
            Ok(m.Layer.Load(map, buffer, 2 * Page, DmaDirection.ToDevice));
            if(bug)
            {
                Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
                m.CpuWrite(buffer, header);
            }
            else
            {
                m.CpuWrite(buffer, header);
                Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
            }
            var sent = m.DeviceReadSegments(map);
            // Bounced: the device sees the header only if the CPU wrote it before PREWRITE.
            Assert.That(sent.Take(4), bug ? Is.EqualTo(payload.Take(4)) : Is.EqualTo(header));
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite));
            Ok(m.Layer.Unload(map));
        }

        private static void NoPostRead(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 4 * Page);
            var buffer = m.Buffer("high", 4 * Page);
            Ok(m.Layer.Load(map, buffer, 4 * Page, DmaDirection.FromDevice));
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreRead));
            var received = Pattern(4 * (int)Page, 15);
            m.DeviceWriteSegments(map, received);
            if(!bug)
            {
                Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostRead));
            }
            var seen = m.CpuRead(buffer, received.Length);
            // Bounced: without POSTREAD nothing was copied back.
            Assert.That(seen, bug ? Is.Not.EqualTo(received) : Is.EqualTo(received));
            Ok(m.Layer.Unload(map));
        }

        private static void UnloadWithoutPostRead(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            Ok(m.Layer.Load(map, buffer, Page, DmaDirection.FromDevice));
            Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreRead));
            m.Device.TryWrite(buffer + 100, new byte[] { 9, 9, 9 });
            if(!bug)
            {
                Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostRead));
            }
            Ok(m.Layer.Unload(map));
            var seen = m.CpuRead(buffer + 96, 8);
            // Read again: the driver has been told once.
            m.CpuRead(buffer + 96, 8);
            // Direct map: coherent memory shows the device's bytes anyway; a non-coherent CPU keeps
            // the lines PREREAD loaded until a POSTREAD that never came.
            Assert.That(seen.Skip(4).Take(3), bug && m.Checker.NonCoherent ? Is.Not.EqualTo(new byte[] { 9, 9, 9 }) : Is.EqualTo(new byte[] { 9, 9, 9 }));
        }

        private static void SyncBeyondLoadedSize(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 16 * Page);
            var buffer = m.Buffer("isa", 16 * Page);
            Ok(m.Layer.Load(map, buffer, 2 * Page, DmaDirection.ToDevice));
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
            m.DeviceReadSegments(map);
            var result = m.Layer.Sync(map, 0, bug ? 16 * Page : map.MapSize, DmaSyncOperation.PostWrite);
            Assert.That(result.Error, Is.EqualTo(bug ? DmaError.SyncOutOfRange : DmaError.None));
            Ok(m.Layer.Unload(map));
        }

        private static void SyncAfterUnload(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            Ok(m.Layer.Load(map, buffer, Page, DmaDirection.ToDevice));
            Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PreWrite));
            m.DeviceReadSegments(map);
            if(!bug)
            {
                Ok(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostWrite));
            }
            Ok(m.Layer.Unload(map));
            if(bug)
            {
                Assert.That(m.Layer.Sync(map, 0, Page, DmaSyncOperation.PostWrite).Error, Is.EqualTo(DmaError.NotLoaded));
            }
        }

        private static void ReadSyncsOnTransmitMap(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            var buffer = m.Buffer("isa", Page);
            Ok(m.Layer.Load(map, buffer, Page, DmaDirection.ToDevice));
            Ok(m.Layer.Sync(map, 0, Page, bug ? DmaSyncOperation.PreWrite | DmaSyncOperation.PreRead : DmaSyncOperation.PreWrite));
            m.DeviceReadSegments(map);
            Ok(m.Layer.Sync(map, 0, Page, bug ? DmaSyncOperation.PostWrite | DmaSyncOperation.PostRead : DmaSyncOperation.PostWrite));
            Ok(m.Layer.Unload(map));
        }

        private static void UnloadTwice(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            Ok(m.Layer.Load(map, m.Buffer("isa", Page), Page));
            Ok(m.Layer.Unload(map));
            if(bug)
            {
                Assert.That(m.Layer.Unload(map).Error, Is.EqualTo(DmaError.NotLoaded));
            }
            Ok(m.Layer.DestroyMap(map));
        }

        private static void DestroyWhileLoaded(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            Ok(m.Layer.Load(map, m.Buffer("isa", Page), Page));
            if(bug)
            {
                Assert.That(m.Layer.DestroyMap(map).Error, Is.EqualTo(DmaError.MapStillLoaded));
                Assert.That(map.IsDestroyed, Is.False);
            }
            Ok(m.Layer.Unload(map));
            Ok(m.Layer.DestroyMap(map));
        }

        private static void FreeWhileLoaded(TestMachine m, bool bug)
        {
            var tag = m.IsaTag();
            var ring = m.Layer.AllocateDmaMemory(tag, 2 * Page).Value;
            var map = m.Map(tag, 2 * Page);
            Ok(m.Layer.LoadDmaMemory(map, ring));
            if(bug)
            {
                Assert.That(m.Layer.FreeDmaMemory(ring).Error, Is.EqualTo(DmaError.MemoryStillLoaded));
                Assert.That(ring.IsFreed, Is.False);
            }
            Ok(m.Layer.Unload(map));
            Ok(m.Layer.FreeDmaMemory(ring));
        }

        private static void FreeTwice(TestMachine m, bool bug)
        {
            var ring = m.Layer.AllocateDmaMemory(m.IsaTag(), Page).Value;
            Ok(m.Layer.FreeDmaMemory(ring));
            if(bug)
            {
                Assert.That(m.Layer.FreeDmaMemory(ring).Error, Is.EqualTo(DmaError.NotAllocated));
            }
        }

        private static void ForgetUnload(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), Page);
            Ok(m.Layer.Load(map, m.Buffer("high", Page), Page));
            if(!bug)
            {
                Ok(m.Layer.Unload(map));
            }
            var wiredBefore = m.Layer.GetStatistics().BouncePagesInUse;
            m.Layer.Reset();
            Assert.That(m.Layer.GetStatistics().BouncePages, Is.EqualTo(0), "reset gives bounce pages back");
            Assert.That(wiredBefore, Is.EqualTo(bug ? 1 : 0));
        }

        private static void ForgetFree(TestMachine m, bool bug)
        {
            var before = m.AllocatorState();
            var ring = m.Layer.AllocateDmaMemory(m.IsaTag(), 4 * Page).Value;
            if(!bug)
            {
                Ok(m.Layer.FreeDmaMemory(ring));
            }
            m.Layer.Reset();
            Assert.That(m.AllocatorState(), Is.EqualTo(before), "reset gives DMA memory back");
        }

        private static void OneBurstPastMaxSegment(TestMachine m, bool bug)
        {
            var map = m.Map(m.IsaTag(), 4 * Page, 0, Page);
            var buffer = m.Buffer("isa", 4 * Page);
            Ok(m.Layer.Load(map, buffer, 4 * Page, DmaDirection.ToDevice));
            Assert.That(map.Segments.Count, Is.EqualTo(4));
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
            if(bug)
            {
                m.Device.TryRead(buffer, new byte[4 * Page]);
            }
            else
            {
                m.DeviceReadSegments(map);
            }
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite));
            Ok(m.Layer.Unload(map));
        }

        private static void SegmentAcrossBoundary(TestMachine m, bool bug)
        {
            var tag = m.Tag("boundary-64k", new DmaTagLimits
            {
                Low = 0, High = IsaEnd, Alignment = 1, Boundary = 64 * 1024, MaxSegmentSize = 0, MaxSegments = 8, MaxSize = 0
            });
            var map = m.Map(tag, 4 * Page);
            // A buffer straddling a 64 KiB line.
            var area = m.Buffer("isa", 128 * 1024);
            var buffer = area + 64 * 1024 - 2 * Page;
            Ok(m.Layer.Load(map, buffer, 4 * Page, DmaDirection.ToDevice));
            Assert.That(map.Segments.Count, Is.EqualTo(2));
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PreWrite));
            if(bug)
            {
                // The driver merged the two segments into one descriptor.
                m.Checker.CheckProgrammedSegment(buffer, 4 * Page, "sg-engine");
                m.Device.TryRead(buffer, new byte[4 * Page]);
            }
            else
            {
                foreach(var segment in map.Segments)
                {
                    m.Checker.CheckProgrammedSegment(segment.Address, segment.Length, "sg-engine");
                }
                m.DeviceReadSegments(map);
            }
            Ok(m.Layer.Sync(map, 0, map.MapSize, DmaSyncOperation.PostWrite));
            Ok(m.Layer.Unload(map));
        }
    }
}
