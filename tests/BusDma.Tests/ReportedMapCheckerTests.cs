using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.BusDma.Tests
{
    // The checker without a BusDmaLayer, as DmaCheckerDevice runs it in Renode: maps reported as
    // events by the guest's library, device accesses reported by the bus masters, free frames
    // from the frame pool, reach windows per device. Each deliberate bug gives exactly its
    // finding kind; the correct flow gives none.
    public class ReportedMapCheckerTests
    {
        private const ulong Page = 0x1000;
        private const ulong Handle = 0x80001230;

        [Test]
        public void CorrectReceiveAndTransmitFlowsReportNothing()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer, Page, true, "dma");
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostRead);
            checker.CheckCpuAccess(buffer, Page, false);
            checker.ReportUnload(Handle);

            checker.CheckCpuAccess(buffer, 64, true);
            Load(checker, buffer, DmaDirection.ToDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreWrite);
            checker.CheckDeviceAccess(buffer, Page, false, "dma");
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostWrite);
            checker.ReportUnload(Handle);

            Assert.That(checker.ReportLeakedMaps(), Is.EqualTo(0));
            Assert.That(checker.Findings, Is.Empty, Describe(checker));
        }

        [Test]
        public void ForgottenPreWriteIsUnpreparedRead()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.ToDevice);
            checker.CheckDeviceAccess(buffer, Page, false, "dma");
            checker.ReportUnload(Handle);
            AssertOnly(checker, DmaFindingKind.DeviceAccessUnprepared, 1);
            Assert.That(checker.Findings[0].Device, Is.EqualTo("dma"));
            Assert.That(checker.Findings[0].Address, Is.EqualTo(buffer));
        }

        [Test]
        public void ForgottenPostReadIsStaleCpuRead()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer, Page, true, "dma");
            checker.CheckCpuAccess(buffer + 8, 8, false);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostRead);
            checker.ReportUnload(Handle);
            AssertOnly(checker, DmaFindingKind.CpuReadStale, 1);
        }

        [Test]
        public void DeviceWritingAfterUnloadIsUnmappedAccess()
        {
            var (checker, pool, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer, 0x100, true, "dma");
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostRead);
            checker.ReportUnload(Handle);
            checker.CheckDeviceAccess(buffer + 0x100, 0x100, true, "dma");
            checker.CheckDeviceAccess(buffer + 0x200, 0x100, true, "dma");
            AssertOnly(checker, DmaFindingKind.DeviceAccessUnmapped, 1);
            // Loaded again, the same bytes are fine again; memory no map ever held is not the checker's business.
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer, Page, true, "dma");
            var other = pool.Allocate(Page, new AllocationConstraints { Low = 0, High = 0x100000, Alignment = Page, MaxSegments = 1 }).Segments[0].Address;
            checker.CheckDeviceAccess(other, Page, true, "dma");
            Assert.That(checker.TotalFindings, Is.EqualTo(1), Describe(checker));
        }

        [Test]
        public void CpuWritingABufferTheDeviceOwnsIsReported()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.CheckCpuAccess(buffer + 0x10, 8, true);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckCpuAccess(buffer + 0x10, 8, true);
            checker.CheckCpuAccess(buffer + 0x20, 8, true);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostRead);
            checker.CheckCpuAccess(buffer + 0x10, 8, true);
            checker.ReportUnload(Handle);
            AssertOnly(checker, DmaFindingKind.CpuWriteDeviceOwned, 1);
            Assert.That(checker.Findings[0].Address, Is.EqualTo(buffer + 0x10));
        }

        [Test]
        public void WrongDirectionSyncIsReported()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.ToDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.ReportUnload(Handle);
            AssertOnly(checker, DmaFindingKind.SyncWrongDirection, 1);
        }

        [Test]
        public void MapNeverUnloadedIsLeaked()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.ToDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreWrite);
            Assert.That(checker.ReportLeakedMaps(), Is.EqualTo(1));
            AssertOnly(checker, DmaFindingKind.MapLeaked, 1);
        }

        [Test]
        public void UnloadTwiceAndSyncAfterUnloadAreReported()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.ToDevice);
            checker.ReportUnload(Handle);
            checker.ReportUnload(Handle);
            AssertOnly(checker, DmaFindingKind.UnloadNotLoaded, 1);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostWrite);
            checker.ReportSync(0x1234, 0, Page, DmaSyncOperation.PreWrite);
            Assert.That(checker.CountOf(DmaFindingKind.SyncOutsideMapping), Is.EqualTo(2));
        }

        [Test]
        public void ReportedSegmentShapeIsChecked()
        {
            var (checker, _, buffer) = Build();
            checker.ReportLoad(Handle, new[] { new ReportedSegment(buffer, buffer, 2 * Page) }, DmaDirection.ToDevice, maxSegmentSize: Page);
            AssertOnly(checker, DmaFindingKind.SegmentTooLong, 1);
        }

        [Test]
        public void DeviceWritingAFrameReturnedToThePoolIsDmaAfterFree()
        {
            var (checker, pool, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PostRead);
            checker.ReportUnload(Handle);
            Assert.That(pool.FreeFrame(buffer), Is.EqualTo(AllocationError.None));
            // One transfer in pieces: one finding.
            checker.CheckDeviceAccess(buffer, 0x100, true, "dma");
            checker.CheckDeviceAccess(buffer + 0x100, 0x100, true, "dma");
            AssertOnly(checker, DmaFindingKind.DeviceAccessFreeFrame, 1);
            Assert.That(checker.Findings[0].Address, Is.EqualTo(buffer));
        }

        [Test]
        public void FreeFrameInsideALongerAccessIsFound()
        {
            var (checker, pool, _) = Build();
            // Two adjacent frames, then the second one returned.
            var pair = pool.Allocate(2 * Page, new AllocationConstraints { Low = 0, High = 0x100000, Alignment = Page, MaxSegments = 1 }).Segments[0];
            Assert.That(pool.Free(new[] { pair }).Error, Is.EqualTo(AllocationError.None));
            var borrowed = pool.Allocate(Page, new AllocationConstraints { Low = pair.Address, High = pair.Address + Page, Alignment = Page, MaxSegments = 1 }).Segments[0];
            Assert.That(borrowed.Address, Is.EqualTo(pair.Address));
            checker.CheckDeviceAccess(borrowed.Address, Page, false, "dma");
            Assert.That(checker.Findings, Is.Empty);
            checker.CheckDeviceAccess(borrowed.Address + 0x800, Page, false, "dma");
            AssertOnly(checker, DmaFindingKind.DeviceAccessFreeFrame, 1);
            Assert.That(checker.Findings[0].Address, Is.EqualTo(borrowed.Address + Page));
        }

        [Test]
        public void AccessOutsideTheDevicesReachIsReported()
        {
            var (checker, _, buffer) = Build();
            checker.SetReach("dma24", 0, buffer + Page);
            checker.CheckDeviceAccess(buffer, Page, true, "dma24");
            checker.CheckDeviceAccess(buffer, Page, true, "other");
            Assert.That(checker.Findings, Is.Empty);
            checker.CheckDeviceAccess(buffer + 0x800, Page, true, "dma24");
            AssertOnly(checker, DmaFindingKind.DeviceAccessUnreachable, 1);
            Assert.That(checker.Findings[0].Address, Is.EqualTo(buffer + Page));
            checker.ClearReach("dma24");
            checker.CheckDeviceAccess(buffer + 0x800, 0x100, true, "dma24");
            Assert.That(checker.TotalFindings, Is.EqualTo(1));
        }

        [Test]
        public void AccessOutsideMemoryIsReportedOncePerRun()
        {
            var (checker, _, _) = Build();
            checker.ReportOutsideMemory(0x40000000, 0x100, true, "dma");
            checker.ReportOutsideMemory(0x40000000, 0x100, true, "dma");
            checker.ReportOutsideMemory(0x40000100, 0x100, true, "dma");
            checker.ReportOutsideMemory(0x50000000, 4, false, "dma");
            AssertOnly(checker, DmaFindingKind.DeviceAccessOutsideMemory, 2);
        }

        [Test]
        public void HostIsToldOfEachFindingWithTheProgramCounter()
        {
            var (checker, _, buffer) = Build();
            var host = new RecordingHost { ProgramCounter = 0x80000abc };
            checker.Host = host;
            checker.ReportOutsideMemory(0x40000000, 4, false, "dma");
            Assert.That(host.Seen.Count, Is.EqualTo(1));
            Assert.That(host.Seen[0].ProgramCounter, Is.EqualTo(0x80000abcUL));
            Assert.That(host.Seen[0].ToString(), Does.Contain("PC 0x80000ABC").And.Contain("by dma").And.Contain("DeviceAccessOutsideMemory"));
            host.ProgramCounter = null;
            checker.ReportUnload(Handle);
            Assert.That(host.Seen[1].ProgramCounter, Is.Null);
            Assert.That(buffer, Is.Not.Zero);
        }

        [Test]
        public void ForgettingReportedMapsKeepsFindings()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.ToDevice);
            checker.ReportUnload(Handle);
            checker.ReportOutsideMemory(0x40000000, 4, false, "dma");
            checker.ForgetReportedMaps();
            Assert.That(checker.LoadedMapCount, Is.EqualTo(0));
            checker.CheckDeviceAccess(buffer, 4, false, "dma");
            Assert.That(checker.ReportLeakedMaps(), Is.EqualTo(0));
            Assert.That(checker.TotalFindings, Is.EqualTo(1));
        }

        [Test]
        public void BounceFramesStillBorrowedWhenTheGuestIsDoneAreOneLeak()
        {
            var (checker, _, _) = Build();
            checker.ReportBounceFrames(0x8000, 2 * Page, borrowed: true);
            checker.ReportBounceFrames(0x20000, Page, borrowed: true);
            checker.ReportBounceFrames(0x20000, Page, borrowed: false);
            Assert.That(checker.BounceBytesHeld, Is.EqualTo(2 * Page));

            Assert.That(checker.ReportLeakedBounceFrames(), Is.EqualTo(1));
            Assert.That(checker.ReportLeakedBounceFrames(), Is.EqualTo(0), "told once");

            AssertOnly(checker, DmaFindingKind.BounceFramesLeaked, 1);
            Assert.That(checker.Findings[0].Address, Is.EqualTo(0x8000UL));
            Assert.That(checker.Findings[0].Length, Is.EqualTo(2 * Page));
        }

        [Test]
        public void BounceFramesAllGivenBackAreNoLeak()
        {
            var (checker, _, _) = Build();
            checker.ReportBounceFrames(0x8000, 2 * Page, borrowed: true);
            checker.ReportBounceFrames(0x8000, 2 * Page, borrowed: false);
            Assert.That(checker.ReportLeakedBounceFrames(), Is.EqualTo(0));
            Assert.That(checker.Findings, Is.Empty);
        }

        [Test]
        public void TheCpuWatchCoversLoadedBuffersAndDeviceDataUnloadedWithoutPostRead()
        {
            var (checker, _, buffer) = Build();
            var version = checker.CpuWatchVersion;
            Load(checker, buffer, DmaDirection.FromDevice);
            Assert.That(checker.CpuWatchRanges(), Is.EqualTo(new[] { (buffer, buffer + Page) }));
            Assert.That(checker.CpuWatchVersion, Is.Not.EqualTo(version));
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer + 0x100, 0x80, true, "dma");
            checker.ReportUnload(Handle);

            Assert.That(checker.CpuWatchRanges(), Is.EqualTo(new[] { (buffer + 0x100, buffer + 0x180) }), "only what the device wrote");
            checker.CheckCpuAccess(buffer + 0x17F, 1, false);
            AssertOnly(checker, DmaFindingKind.CpuReadStale, 1);
            Assert.That(checker.CpuWatchRanges(), Is.Empty, "the stretch was reported: forgotten");
        }

        [Test]
        public void LoadingTheBufferAgainForgetsItsStaleDeviceData()
        {
            var (checker, _, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer, Page, true, "dma");
            checker.ReportUnload(Handle);

            checker.ReportLoad(Handle + 8, new[] { new ReportedSegment(buffer, buffer, Page) }, DmaDirection.ToDevice);
            checker.CheckCpuAccess(buffer, 8, false);
            checker.ReportUnload(Handle + 8);

            Assert.That(checker.Findings, Is.Empty, Describe(checker));
            Assert.That(checker.CpuWatchRanges(), Is.Empty);
        }

        [Test]
        public void StaleDeviceDataOfAFrameBackInThePoolIsForgotten()
        {
            var (checker, pool, buffer) = Build();
            Load(checker, buffer, DmaDirection.FromDevice);
            checker.ReportSync(Handle, 0, Page, DmaSyncOperation.PreRead);
            checker.CheckDeviceAccess(buffer, Page, true, "dma");
            checker.ReportUnload(Handle);
            pool.FreeFrame(buffer);

            Assert.That(checker.CpuWatchRanges(), Is.Empty);
            checker.CheckCpuAccess(buffer, 8, false);
            Assert.That(checker.Findings, Is.Empty, Describe(checker));
        }

        private static (DmaChecker, FrameAllocator, ulong) Build()
        {
            var pool = new FrameAllocator(new[] { new BusRange("low", 0, 0x100000), new BusRange("high", 0x100000, 0x100000) });
            var result = pool.Allocate(Page, new AllocationConstraints { Low = 0x100000, High = 0x200000, Alignment = Page, MaxSegments = 1 });
            Assert.That(result.Error, Is.EqualTo(AllocationError.None));
            var checker = new DmaChecker { FramePool = pool };
            return (checker, pool, result.Segments[0].Address);
        }

        private static void Load(DmaChecker checker, ulong buffer, DmaDirection direction)
        {
            checker.ReportLoad(Handle, new[] { new ReportedSegment(buffer, buffer, Page) }, direction);
        }

        private static void AssertOnly(DmaChecker checker, DmaFindingKind kind, int count)
        {
            Assert.That(checker.Findings.Select(f => f.Kind), Is.EqualTo(Enumerable.Repeat(kind, count)), Describe(checker));
        }

        private static string Describe(DmaChecker checker)
        {
            return string.Join("\n", checker.Findings.Select(f => f.ToString()));
        }

        private sealed class RecordingHost : IDmaCheckerHost
        {
            public ulong? ProgramCounter;
            public readonly List<DmaFinding> Seen = new List<DmaFinding>();

            public ulong? CurrentProgramCounter => ProgramCounter;

            public void OnFinding(DmaFinding finding)
            {
                Seen.Add(finding);
            }
        }
    }
}
