using System.Linq;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Peripherals.Tests.Snapshots;
using RenodeFrameAlloc.StandIn.Testing;
using static Antmicro.Renode.Peripherals.Miscellaneous.ExternalMmuBase;

namespace RenodeFrameAlloc.Peripherals.Tests.HartTlb
{
    public class HartSoftwareTlbTests
    {
        [SetUp]
        public void SetUp()
        {
            LogCapture.Clear();
            ram = new PhysicalRam(new[] { new BusRange("ram", 0x8000_0000, 1 << 20) });
            bus = new InMemoryBus(ram);
            hart = new TrappingHart();
            tlb = new HartSoftwareTlb(new VirtualTimeMachine(bus), hart, entryCount: 4, unmappedSize: 0x1_0000_0000);
            bus.Register(tlb, new BusRangeRegistration(Base, (ulong)tlb.Size));
        }

        [Test]
        public void TheHartTranslatesEverythingThroughTheTlbAndTheSegmentIsAWindow()
        {
            Assert.That(hart.Position, Is.EqualTo(ExternalMmuPosition.Replace));
            Assert.That(hart.Windows.Values, Has.One.EqualTo((0UL, 0x1_0000_0000UL, 0UL, Privilege.All)));
            Assert.That(Read(0x68), Is.Zero, "SEGMENT_SIZE_LO");
            Assert.That(Read(0x6C), Is.EqualTo(1u), "SEGMENT_SIZE_HI");
            Assert.That(Read(0x00) & 0xFFFF, Is.EqualTo(4u), "CAPABILITIES entry count");
        }

        [Test]
        public void AMissRaisesTheStorePageFaultAndShowsTheFaultBlock()
        {
            Assert.That(hart.Fault(MappedVa + 0x28, AccessType.Write, null, true), Is.EqualTo(ExternalMmuResult.NoFault));
            var probe = hart.Windows.Single(w => w.Value.Start == MappedVa).Key;
            Assert.That(hart.Windows[probe].Rights, Is.EqualTo(Privilege.None));
            Assert.That(hart.Fault(MappedVa + 0x28, AccessType.Write, probe, false), Is.EqualTo(ExternalMmuResult.NoFault));
            Assert.That(hart.Exceptions, Is.EqualTo(new[] { 15u }));
            Assert.That(Read(0x30), Is.EqualTo(0x28u));
            Assert.That(Read(0x34), Is.EqualTo((uint)(MappedVa >> 32)));
            Assert.That(Read(0x38), Is.EqualTo(1u | (2u << 16)), "FAULT_INFO: write, miss, hart 2");
            Assert.That(Read(0x28), Is.EqualTo(1u), "STATUS.FAULT_PENDING");
        }

        [Test]
        public void ARefillThroughTheRegistersBecomesAWindowOfTheHart()
        {
            hart.Fault(MappedVa, AccessType.Read, null, true);
            Write(0x10, 0);
            Write(0x14, (uint)(MappedVa >> 32));
            Write(0x18, 0x8000_2000);
            Write(0x1C, 0);
            Write(0x20, 0x1 | 0x2 | 0x8); // VALID | READ | EXECUTE
            Write(0x24, 2); // WRITE_RANDOM
            Assert.That(hart.Windows.Values, Has.One.EqualTo((MappedVa, MappedVa + 0x1000, unchecked(0x8000_2000UL - MappedVa), Privilege.Read | Privilege.Execute)));
            Assert.That(Read(0x28), Is.Zero);
            Assert.That(Read(0x04), Is.InRange(0u, 3u), "INDEX holds the slot taken");
        }

        [Test]
        public void BadGuestInputIsAnErrorStatusAndALogLineNeverAnException()
        {
            Write(0x20, 0x31); // VALID | SIZE 3 (reserved)
            Write(0x24, 99);
            Write(0x48, 5);
            Read(0xF0);
            Assert.That(Read(0x28) & 2u, Is.EqualTo(2u), "STATUS.COMMAND_ERROR");
            Assert.That(LogCapture.From(tlb, LogLevel.Warning), Has.Count.EqualTo(4));
        }

        [Test]
        public void AnExceptionInsideTheFaultHookIsLoggedAndNeverReachesTheHart()
        {
            hart.ThrowOnWindowWrites = true;
            Assert.That(hart.Fault(MappedVa, AccessType.Read, null, true), Is.EqualTo(ExternalMmuResult.Fault));
            Assert.That(LogCapture.From(tlb, LogLevel.Error), Has.Count.EqualTo(1));
        }

        // A trap's instruction count is right only at a block's first instruction: the TLB sets the
        // hart's block size itself, and again after a snapshot load, once the load has finished
        // (a loaded hart comes back with Renode's default, set in its own late hook).
        [Test]
        public void TheHartRunsOneInstructionBlocksFromConstructionAndAfterASnapshotLoad()
        {
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(1));

            SimulatedSnapshotLoad.Apply(tlb);
            hart.MaximumBlockSize = 0x7FF;
            EmulationManager.Instance.CurrentEmulation = new Emulation();
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(1));

            hart.MaximumBlockSize = 0x100;
            EmulationManager.Instance.CurrentEmulation = new Emulation();
            Assert.That(hart.MaximumBlockSize, Is.EqualTo(0x100), "once per load: a size set afterwards is the user's");
            Assert.That(LogCapture.From(tlb, LogLevel.Error), Is.Empty);
        }

        [Test]
        public void AHartThatCannotRaiseAnExceptionIsRefusedAtConstruction()
        {
            Assert.Throws<ConstructionException>(() => new HartSoftwareTlb(new VirtualTimeMachine(bus), new RecordingHart()));
        }

        private uint Read(long offset)
        {
            return bus.ReadDoubleWord(Base + (ulong)offset);
        }

        private void Write(long offset, uint value)
        {
            bus.WriteDoubleWord(Base + (ulong)offset, value);
        }

        private PhysicalRam ram;
        private InMemoryBus bus;
        private TrappingHart hart;
        private HartSoftwareTlb tlb;

        private const ulong Base = 0x1000_5000;
        private const ulong MappedVa = 0x40_0000_0000;
    }
}
