using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using static RenodeFrameAlloc.Peripherals.Tests.Dma.DmaPlatform;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Peripherals.Tests.Dma
{
    // The DMA engine behind the project's software-managed TLB, both as Renode peripherals: a miss
    // stalls the channel and raises the TLB's interrupt; software refills and resumes (or aborts).
    public class ScatterGatherDmaWithTlbTests
    {
        [Test]
        public void MissesAreRefilledBySoftwareAndTheTransferCompletes()
        {
            var (platform, tlb) = Build();
            var data = platform.Fill(0x10_0000, 3 * 4096, 1);
            tlb.Model.WriteIndexed(0, new TlbEntry(0x40_0000, 0x10_0000, Initiator, readable: true, writable: false));
            platform.PutDescriptor(0x1000, 0x40_0000, 0x20_0000, 3 * 4096, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateSource);

            platform.Start(0, 0x1000);

            Assert.That(platform.Status(0), Is.EqualTo(StatusBusy | StatusWaitingOnTlb));
            Assert.That(tlb.IRQ.IsSet, Is.True);
            Assert.That(tlb.Model.LatchedFault.VirtualAddress, Is.EqualTo(0x40_1000));
            Assert.That(tlb.Model.LatchedFault.InitiatorId, Is.EqualTo(Initiator));

            tlb.Model.WriteRandom(new TlbEntry(0x40_1000, 0x10_1000, Initiator, readable: true, writable: false));
            tlb.Model.Resume();
            Assert.That(platform.Status(0), Is.EqualTo(StatusBusy | StatusWaitingOnTlb), "the third page misses next");
            Assert.That(tlb.Model.LatchedFault.VirtualAddress, Is.EqualTo(0x40_2000));

            tlb.Model.WriteRandom(new TlbEntry(0x40_2000, 0x10_2000, Initiator, readable: true, writable: false));
            tlb.Model.Resume();

            Assert.That(platform.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(platform.Bus.ReadBytes(0x20_0000, 3 * 4096), Is.EqualTo(data));
            Assert.That(tlb.Model.Misses, Is.EqualTo(2));
        }

        [Test]
        public void SoftwareAbortAtTheTlbStopsTheChannel()
        {
            var (platform, tlb) = Build();
            platform.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            platform.Start(0, 0x1000);

            tlb.Model.Abort();

            Assert.That(platform.Cause(0), Is.EqualTo(DmaErrorCause.TlbAbort));
            Assert.That(platform.Interrupts.Level(FirstInterrupt), Is.True);
        }

        [Test]
        public void ReadOnlyPageRefusesTheWriteUntilSoftwareGivesUp()
        {
            var (platform, tlb) = Build();
            platform.Fill(0x10_0000, 64, 1);
            tlb.Model.WriteIndexed(0, new TlbEntry(0x40_0000, 0x30_0000, Initiator, readable: true, writable: false));
            platform.PutDescriptor(0x1000, 0x10_0000, 0x40_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            platform.Start(0, 0x1000);
            Assert.That(platform.Status(0) & StatusWaitingOnTlb, Is.Not.Zero);
            tlb.Model.Abort();

            Assert.That(platform.Cause(0), Is.EqualTo(DmaErrorCause.TlbPermissionFault));
            Assert.That(platform.Bus.ReadBytes(0x30_0000, 64), Is.All.EqualTo(0));
        }

        private static (DmaPlatform, SoftwareManagedTlb) Build()
        {
            SoftwareManagedTlb tlb = null;
            var platform = new DmaPlatform(translatorFactory: machine => tlb = new SoftwareManagedTlb(machine, entryCount: 16));
            platform.Bus.Register(tlb, new BusRangeRegistration(TlbBase, (ulong)tlb.Size));
            return (platform, tlb);
        }

        // DmaPlatform gives its engine initiator id 5.
        private const int Initiator = 5;
    }
}
