using System.Linq;
using Antmicro.Renode.Core;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using Antmicro.Renode.Peripherals.DMA;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeFrameAlloc.BusDma;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices.Dma;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Peripherals.Tests.Snapshots;
using RenodeFrameAlloc.Peripherals.Tests.Tlb;
using RenodeFrameAlloc.StandIn.Testing;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;

namespace RenodeFrameAlloc.Peripherals.Tests.Checker
{
    // The checker peripheral as the reference .repl builds it: a frame pool over the RAM, an engine
    // given `checker:`, a stock-style master attached with AttachInitiator, and the guest's reports
    // written to the debug registers by CPU stores.
    public class DmaCheckerDeviceTests
    {
        private const ulong PoolBase = 0x1000_1000;
        private const ulong DmaBase = 0x1000_3000;
        private const ulong CheckerBase = 0x1000_5000;
        private const ulong CopierBase = 0x1000_6000;
        private const ulong Page = 0x1000;

        [SetUp]
        public void SetUp()
        {
            LogCapture.Clear();
            var ranges = new[] { new BusRange("ram", 0, 16UL << 20) };
            bus = new InMemoryBus(new PhysicalRam(ranges));
            machine = new VirtualTimeMachine(bus);
            pool = new FramePoolDevice(machine, "ram@0x0+16M");
            checker = new DmaCheckerDevice(machine, pool, enabled: true);
            dma = new ScatterGatherDma(machine, channels: 1, addressBits: 24, checker: checker);
            bus.Register(pool, new BusRangeRegistration(PoolBase, (ulong)pool.Size));
            bus.Register(checker, new BusRangeRegistration(CheckerBase, (ulong)checker.Size));
            bus.Register(dma, new BusRangeRegistration(DmaBase, (ulong)dma.Size));
            machine.SetLocalName(dma, "dma24");
            area = Borrow(4 * Page);
        }

        [Test]
        public void EngineCopyIntoAFreeFrameIsOneWarningWithTheMasterAndThePc()
        {
            var free = Borrow(Page);
            pool.Allocator.FreeFrame(free);
            bus.CurrentCpu = new FakeCpu { PC = 0x80000abcUL };

            Copy(area + Page, free, 0x100);

            var warnings = LogCapture.From(checker, LogLevel.Warning).Select(e => e.Message).ToArray();
            Assert.That(warnings, Has.Length.EqualTo(1));
            Assert.That(warnings[0], Does.Contain($"DeviceAccessFreeFrame at 0x{free:X}+0x100 during DeviceWrite by dma24 (PC 0x80000ABC)"));
            Assert.That(ReadChecker(0x50), Is.EqualTo(1u), "FINDINGS");
            WriteChecker(0x54, (uint)DmaFindingKind.DeviceAccessFreeFrame);
            Assert.That(ReadChecker(0x58), Is.EqualTo(1u), "KIND_COUNT");
            Assert.That(checker.Findings(), Does.Contain("DeviceAccessFreeFrame: 1"));
        }

        [Test]
        public void DisabledCheckerSeesNothing()
        {
            checker.Enabled = false;
            var free = Borrow(Page);
            pool.Allocator.FreeFrame(free);
            ReportLoad(0x77, area + Page, 0x100, DmaDirection.ToDevice);

            Copy(area + Page, free, 0x100);

            Assert.That(ReadChecker(0x50), Is.Zero);
            Assert.That(ReadChecker(0x60), Is.Zero, "LOADED_MAPS: the report was dropped too");
            Assert.That(LogCapture.From(checker, LogLevel.Warning), Is.Empty);
        }

        [Test]
        public void ReportedMapWithoutPreWriteIsAnUnpreparedRead()
        {
            ReportLoad(0x77, area + Page, 0x100, DmaDirection.ToDevice);
            Assert.That(ReadChecker(0x60), Is.EqualTo(1u), "LOADED_MAPS");

            Copy(area + Page, area + 2 * Page, 0x100);
            WriteChecker(0x10, 0x77);
            WriteChecker(0x0C, 4); // UNLOAD

            Assert.That(checker.Model.Checker.Findings.Select(f => f.Kind), Is.EqualTo(new[] { DmaFindingKind.DeviceAccessUnprepared }));
            Assert.That(ReadChecker(0x60), Is.Zero);
        }

        [Test]
        public void HartAccessesToALoadedBufferAreWatchedUntilUnload()
        {
            var hart = new MappedCpu();
            bus.CurrentCpu = hart;
            var buffer = area + 2 * Page;
            ReportLoad(0x55, buffer, 0x100, DmaDirection.FromDevice);
            Assert.That(hart.IoPages, Is.EqualTo(new[] { buffer }), "the buffer's page goes through the bus");
            Assert.That(bus.PeripheralHookCount, Is.EqualTo(8), "a read and a write hook per width on the RAM");
            ReportSync(0x55, 0x100, DmaSyncOperation.PreRead);
            bus.CpuAccess(buffer + 0x42, SysbusAccessWidth.Word, true);
            Copy(area + Page, buffer, 0x100);
            bus.CpuAccess(buffer + 0x84, SysbusAccessWidth.DoubleWord, false);
            ReportSync(0x55, 0x100, DmaSyncOperation.PostRead);
            bus.CpuAccess(buffer + 0x84, SysbusAccessWidth.DoubleWord, false);
            WriteQuad(0x10, 0x55);
            WriteChecker(0x0C, 4);

            Assert.That(checker.Model.Checker.Findings.Select(f => f.Kind),
                Is.EqualTo(new[] { DmaFindingKind.CpuWriteDeviceOwned, DmaFindingKind.CpuReadStale }));
            Assert.That(checker.Model.Checker.Findings[0].Address, Is.EqualTo(buffer + 0x42));
            Assert.That(checker.Model.Checker.Findings[1].Address, Is.EqualTo(buffer + 0x84));
            Assert.That(hart.IoPages, Is.Empty, "synced and unloaded: nothing left to watch");
            Assert.That(bus.PeripheralHookCount, Is.Zero, "the RAM's hooks are removed with its last watched page");
        }

        [TestCase(SysbusAccessWidth.Byte, 0x45UL)]
        [TestCase(SysbusAccessWidth.Word, 0x8AUL)]
        [TestCase(SysbusAccessWidth.DoubleWord, 0x1234UL)]
        [TestCase(SysbusAccessWidth.QuadWord, 0x1FF8UL)]
        public void AStaleReadOfAnyWidthAnywhereInTheBufferIsSeen(SysbusAccessWidth width, ulong offset)
        {
            bus.CurrentCpu = new MappedCpu { PC = 0x80000100UL };
            var buffer = area + Page;
            ReportLoad(0x66, buffer, 2 * Page, DmaDirection.FromDevice);
            ReportSync(0x66, 2 * Page, DmaSyncOperation.PreRead);
            Copy(Borrow(2 * Page), buffer, (uint)(2 * Page));

            bus.CpuAccess(buffer + offset, width, false);

            var finding = checker.Model.Checker.Findings.Single();
            Assert.That(finding.Kind, Is.EqualTo(DmaFindingKind.CpuReadStale));
            Assert.That(finding.Address, Is.EqualTo(buffer + offset));
            Assert.That(finding.Length, Is.EqualTo((ulong)width));
            Assert.That(finding.ProgramCounter, Is.EqualTo(0x80000100UL));
        }

        [Test]
        public void AccessesThatAreNotTheHartsAreNotCpuAccesses()
        {
            var hart = new MappedCpu();
            bus.CurrentCpu = hart;
            var buffer = area + 2 * Page;
            ReportLoad(0x55, buffer, 0x100, DmaDirection.FromDevice);
            ReportSync(0x55, 0x100, DmaSyncOperation.PreRead);
            Copy(area + Page, buffer, 0x100);

            // The monitor (no initiator) reads the buffer; the hart reads a page nobody watches.
            bus.ReadDoubleWord(buffer);
            bus.CpuAccess(area + 3 * Page, SysbusAccessWidth.QuadWord, false);

            Assert.That(checker.Model.Checker.Findings, Is.Empty);
        }

        [Test]
        public void DeviceDataUnloadedWithoutPostReadStaysWatchedUntilReadOnce()
        {
            var hart = new MappedCpu();
            bus.CurrentCpu = hart;
            var buffer = area + 2 * Page;
            ReportLoad(0x55, buffer, 0x100, DmaDirection.FromDevice);
            ReportSync(0x55, 0x100, DmaSyncOperation.PreRead);
            Copy(area + Page, buffer, 0x100);
            WriteQuad(0x10, 0x55);
            WriteChecker(0x0C, 4); // UNLOAD, no POSTREAD
            Assert.That(hart.IoPages, Is.EqualTo(new[] { buffer }), "the device's unsynced bytes stay watched");

            bus.CpuAccess(buffer + 0x13, SysbusAccessWidth.Byte, false);
            bus.CpuAccess(buffer + 0x20, SysbusAccessWidth.QuadWord, false);

            var finding = checker.Model.Checker.Findings.Single();
            Assert.That(finding.Kind, Is.EqualTo(DmaFindingKind.CpuReadStale));
            Assert.That(finding.Address, Is.EqualTo(buffer + 0x13));
            Assert.That(finding.Message, Does.Contain("unloaded with no POSTREAD"));
            Assert.That(hart.IoPages, Is.Empty, "told once: the stretch is forgotten and its page released");
        }

        [Test]
        public void DeviceDataUnloadedWithoutPostReadIsForgottenWhenItsFrameGoesBackToThePool()
        {
            var hart = new MappedCpu();
            bus.CurrentCpu = hart;
            var buffer = Borrow(Page);
            ReportLoad(0x55, buffer, 0x100, DmaDirection.FromDevice);
            ReportSync(0x55, 0x100, DmaSyncOperation.PreRead);
            Copy(area + Page, buffer, 0x100);
            WriteQuad(0x10, 0x55);
            WriteChecker(0x0C, 4);
            pool.Allocator.FreeFrame(buffer);

            bus.CpuAccess(buffer, SysbusAccessWidth.DoubleWord, false);

            Assert.That(checker.Model.Checker.Findings, Is.Empty);
            Assert.That(hart.IoPages, Is.Empty);
        }

        [Test]
        public void TheWatchIsSetAgainAfterASnapshotLoad()
        {
            var hart = new MappedCpu();
            bus.CurrentCpu = hart;
            var buffer = area + 2 * Page;
            ReportLoad(0x55, buffer, 0x100, DmaDirection.FromDevice);
            ReportSync(0x55, 0x100, DmaSyncOperation.PreRead);
            Copy(area + Page, buffer, 0x100);
            // A loaded snapshot: a fresh emulator whose bus has no hooks; the hart's saved state
            // still routes the page through the bus (Renode keeps that in the CPU's state).
            var restored = new MappedCpu();
            restored.SetPageAccessViaIo(buffer);
            bus.CurrentCpu = restored;
            var ram = bus.WhatIsAt(buffer).Peripheral;
            bus.SetHookAfterPeripheralRead<byte>(ram, null);
            bus.SetHookAfterPeripheralRead<ushort>(ram, null);
            bus.SetHookAfterPeripheralRead<uint>(ram, null);
            bus.SetHookAfterPeripheralRead<ulong>(ram, null);
            bus.SetHookBeforePeripheralWrite<byte>(ram, null);
            bus.SetHookBeforePeripheralWrite<ushort>(ram, null);
            bus.SetHookBeforePeripheralWrite<uint>(ram, null);
            bus.SetHookBeforePeripheralWrite<ulong>(ram, null);
            Assert.That(bus.PeripheralHookCount, Is.Zero);
            var rebuild = typeof(DmaCheckerDevice).GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .Single(m => m.GetCustomAttributes(typeof(Antmicro.Migrant.Hooks.LatePostDeserializationAttribute), false).Length > 0);
            rebuild.Invoke(checker, null);

            bus.CpuAccess(buffer + 0x84, SysbusAccessWidth.DoubleWord, false);

            Assert.That(bus.PeripheralHookCount, Is.EqualTo(8), "the RAM's hooks are set again");
            Assert.That(checker.Model.Checker.Findings.Single().Kind, Is.EqualTo(DmaFindingKind.CpuReadStale));
        }

        [Test]
        public void TurningTheCheckerOffReleasesEveryWatchedPage()
        {
            var hart = new MappedCpu();
            bus.CurrentCpu = hart;
            ReportLoad(0x55, area + 2 * Page, 0x100, DmaDirection.FromDevice);
            checker.Enabled = false;
            Assert.That(hart.IoPages, Is.Empty);
            Assert.That(bus.PeripheralHookCount, Is.Zero);
            checker.Enabled = true;
            Assert.That(hart.IoPages, Is.EqualTo(new[] { area + 2 * Page }), "the map is still loaded");
        }

        [Test]
        public void BounceFramesTheLibraryStillHoldsAtTheLeakCheckAreOneFinding()
        {
            BounceFrames(0x0080_0000, 2 * Page, borrowed: true);
            BounceFrames(0x0090_0000, Page, borrowed: true);
            BounceFrames(0x0090_0000, Page, borrowed: false);
            WriteChecker(0x0C, 5); // CHECK_LEAKS
            WriteChecker(0x0C, 5);

            var finding = checker.Model.Checker.Findings.Single();
            Assert.That(finding.Kind, Is.EqualTo(DmaFindingKind.BounceFramesLeaked));
            Assert.That(finding.Address, Is.EqualTo(0x0080_0000UL));
            Assert.That(finding.Length, Is.EqualTo(2 * Page));
            WriteChecker(0x54, (uint)DmaFindingKind.BounceFramesLeaked);
            Assert.That(ReadChecker(0x58), Is.EqualTo(1u), "KIND_COUNT");
        }

        [Test]
        public void OurEnginesReachIsTheirWindowWithoutSetReach()
        {
            var dma32 = new ScatterGatherDma(machine, channels: 1, addressBits: 32, checker: checker, translator: new SoftwareManagedTlb(machine));
            machine.SetLocalName(dma32, "dma32");

            Assert.That(checker.Reaches(), Does.Contain("dma24: [0x0, 0x1000000)"));
            Assert.That(checker.Reaches(), Does.Contain("dma32: any address"));
            checker.OnDeviceAccess("dma24", 0x0100_0000, 0x40, true, true);
            checker.OnDeviceAccess("dma32", 0x1_0000_0000, 0x40, true, true);

            var finding = checker.Model.Checker.Findings.Single();
            Assert.That(finding.Kind, Is.EqualTo(DmaFindingKind.DeviceAccessUnreachable));
            Assert.That(finding.Device, Is.EqualTo("dma24"));
            checker.SetReach("dma24", 0, 0x0200_0000);
            checker.Clear();
            checker.OnDeviceAccess("dma24", 0x0100_0000, 0x40, true, true);
            Assert.That(checker.Model.Checker.Findings, Is.Empty, "the monitor's SetReach wins");
        }

        [Test]
        public void StopOnFindingAsksTheMachineToPause()
        {
            checker.StopOnFinding = true;
            WriteChecker(0x10, 0x99);
            WriteChecker(0x0C, 4); // UNLOAD of a map never loaded

            Assert.That(machine.PauseRequests, Is.EqualTo(1));
            Assert.That(checker.Model.Checker.Findings.Single().Kind, Is.EqualTo(DmaFindingKind.UnloadNotLoaded));
        }

        [Test]
        public void StopOnFindingRunsTheHartOneInstructionPerBlockUntilTurnedOff()
        {
            var hart = new MappedCpu { MaximumBlockSize = 0x200 };
            bus.CurrentCpu = hart;

            checker.StopOnFinding = true;
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(1), "a pause asked for during a load takes effect at the next block");
            checker.StopOnFinding = true;
            checker.StopOnFinding = false;
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x200), "off restores the hart's own block size");
        }

        // A .repl that lists the checker before the CPU sets StopOnFinding before the CPU exists.
        [Test]
        public void StopOnFindingSwitchesACpuAddedLaterAndForgetsARemovedOne()
        {
            checker.StopOnFinding = true;
            var hart = new MappedCpu { MaximumBlockSize = 0x200 };
            bus.CurrentCpu = hart;
            machine.AnnounceChange(hart, PeripheralsChangedEventArgs.PeripheralChangeType.Addition);
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(1));
            checker.StopOnFinding = false;
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x200));

            var added = new MappedCpu { MaximumBlockSize = 0x300 };
            machine.AnnounceChange(added, PeripheralsChangedEventArgs.PeripheralChangeType.Addition);
            Assert.That(added.MaximumBlockSize, Is.EqualTo(0x300), "off: a CPU added keeps its block size");

            checker.StopOnFinding = true;
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(1));
            machine.AnnounceChange(hart, PeripheralsChangedEventArgs.PeripheralChangeType.CompleteRemoval);
            hart.MaximumBlockSize = 0x100;
            checker.StopOnFinding = false;
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x100), "a removed (disposed) CPU is not touched again");
            Assert.That(LogCapture.From(checker, LogLevel.Error), Is.Empty);
        }

        // Renode's CPU is set up again in its own late hook, which may run after the checker's, and
        // cannot be asked its block size before; it comes back with the default. The checker
        // waits for the loaded emulation, and off gives the CPU the size it had before the save.
        [Test]
        public void StopOnFindingSwitchesTheLoadedCpuOnceTheLoadHasFinished()
        {
            var hart = new MappedCpu { MaximumBlockSize = 0x200 };
            bus.CurrentCpu = hart;
            checker.StopOnFinding = true;

            hart.MaximumBlockSize = 0x7FF;
            SimulatedSnapshotLoad.Apply(checker);
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x7FF), "not from the checker's late hook, which may run before the CPU's");
            EmulationManager.Instance.CurrentEmulation = new Emulation();
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(1));

            checker.StopOnFinding = false;
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x200), "the size from before the save, not the loaded default");
            EmulationManager.Instance.CurrentEmulation = new Emulation();
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x200), "once, for the load that armed it");
            Assert.That(LogCapture.From(checker, LogLevel.Error), Is.Empty);
        }

        [Test]
        public void ClearZeroesTheCountersAndBadGuestInputIsAWarningOnly()
        {
            WriteChecker(0x10, 0x99);
            WriteChecker(0x0C, 4);
            checker.Clear();
            Assert.That(ReadChecker(0x50), Is.Zero);
            WriteChecker(0x0C, 77);
            WriteChecker(0x18, 9);
            WriteChecker(0x0C, 2);
            Assert.That(LogCapture.From(checker, LogLevel.Warning).Select(e => e.Message), Has.Some.Contains("unknown command 77").And.Some.Contains("DIRECTION 9"));
            Assert.That(LogCapture.From(checker, LogLevel.Error), Is.Empty);
            Assert.That(ReadChecker(0x00), Is.EqualTo(DmaCheckerDeviceModel.Magic));
        }

        [Test]
        public void StockMasterBehindTheCheckingProxyIsCheckedAgainstItsReach()
        {
            var copier = new StockStyleCopier(machine);
            bus.Register(copier, new BusRangeRegistration(CopierBase, (ulong)copier.Size));
            machine.SetLocalName(copier, "pdma");
            checker.AttachInitiator(copier, reach: area + 2 * Page);
            bus.WriteBytes(new byte[] { 1, 2, 3, 4 }, area + Page);

            StockCopy(area + Page, area + Page + 0x100, 4);
            Assert.That(checker.Model.Checker.Findings, Is.Empty);
            Assert.That(bus.ReadBytes(area + Page + 0x100, 4), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));

            StockCopy(area + Page, area + 3 * Page, 4);
            StockCopy(area + Page, 0x0200_0000, 4);

            Assert.That(checker.Model.Checker.Findings.Select(f => f.Kind),
                Is.EqualTo(new[] { DmaFindingKind.DeviceAccessUnreachable, DmaFindingKind.DeviceAccessUnreachable }));
            Assert.That(checker.Model.Checker.Findings.All(f => f.Device == "pdma"), Is.True);
            checker.ClearReach("pdma");
            checker.Clear();
            StockCopy(area + Page, 0x0200_0000, 4);
            Assert.That(checker.Model.Checker.Findings.Select(f => f.Kind), Is.EqualTo(new[] { DmaFindingKind.DeviceAccessOutsideMemory }));
        }

        private ulong Borrow(ulong size)
        {
            var result = pool.Allocator.Allocate(size, new AllocationConstraints { Low = 0, High = 16UL << 20, Alignment = Page, MaxSegments = 1 });
            Assert.That(result.Error, Is.EqualTo(AllocationError.None));
            return result.Segments[0].Address;
        }

        private void Copy(ulong source, ulong destination, uint length)
        {
            bus.WriteBytes(new DmaDescriptor(source, destination, length, DmaDescriptorControl.EndOfChain, 0).ToBytes(), area);
            bus.WriteDoubleWord(DmaBase + ChannelBase + DescriptorPointerLow, (uint)area);
            bus.WriteDoubleWord(DmaBase + ChannelBase + DescriptorPointerHigh, 0);
            bus.WriteDoubleWord(DmaBase + ChannelBase + Control, ControlStart);
        }

        private void StockCopy(ulong source, ulong destination, uint length)
        {
            bus.WriteDoubleWord(CopierBase + 0x0, (uint)source);
            bus.WriteDoubleWord(CopierBase + 0x4, (uint)destination);
            bus.WriteDoubleWord(CopierBase + 0x8, length);
            bus.WriteDoubleWord(CopierBase + 0xC, 0);
            bus.WriteDoubleWord(CopierBase + 0x10, 1);
        }

        private void BounceFrames(ulong address, ulong length, bool borrowed)
        {
            WriteQuad(0x38, address);
            WriteQuad(0x28, length);
            WriteChecker(0x0C, borrowed ? 7u : 8u);
        }

        private void ReportLoad(ulong map, ulong address, ulong length, DmaDirection direction)
        {
            WriteQuad(0x28, length);
            WriteQuad(0x30, address);
            WriteQuad(0x38, address);
            WriteChecker(0x0C, 1);
            WriteQuad(0x10, map);
            WriteChecker(0x18, (uint)direction);
            WriteChecker(0x0C, 2);
        }

        private void ReportSync(ulong map, ulong length, DmaSyncOperation operations)
        {
            WriteQuad(0x10, map);
            WriteQuad(0x20, 0);
            WriteQuad(0x28, length);
            WriteChecker(0x1C, (uint)operations);
            WriteChecker(0x0C, 3);
        }

        private void WriteQuad(long offset, ulong value)
        {
            WriteChecker(offset, (uint)value);
            WriteChecker(offset + 4, (uint)(value >> 32));
        }

        private void WriteChecker(long offset, uint value)
        {
            bus.WriteDoubleWord(CheckerBase + (ulong)offset, value);
        }

        private uint ReadChecker(long offset)
        {
            return bus.ReadDoubleWord(CheckerBase + (ulong)offset);
        }

        private InMemoryBus bus;
        private VirtualTimeMachine machine;
        private FramePoolDevice pool;
        private DmaCheckerDevice checker;
        private ScatterGatherDma dma;
        private ulong area;

        private sealed class FakeCpu : ICPU
        {
            public RegisterValue PC { get; set; }
            public uint MultiprocessingId => 0;
            public bool IsHalted { get; set; }
            public bool IsPaused => false;
            public int UniqueObjectId => 1;

            public void Reset()
            {
            }

            public void Start()
            {
            }

            public void Pause()
            {
            }

            public void Resume()
            {
            }
        }
    }
}
