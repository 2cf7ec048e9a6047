using NUnit.Framework;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // Descriptors with TRANSLATE bits go through the IOMMU page by page; a miss stalls the channel
    // until the TLB resolves or aborts it.
    public class ScatterGatherDmaModelTranslationTests
    {
        [Test]
        public void VirtuallyContiguousBufferLandsInScatteredFrames()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            var data = rig.Fill(0x10_0000, 3 * 4096, 1);
            tlb.Map(0x40_0000, 0x73_0000);
            tlb.Map(0x40_1000, 0x21_5000);
            tlb.Map(0x40_2000, 0x90_0000);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x40_0800, 3 * 4096 - 0x800, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
            Assert.That(rig.Ram.Read(0x73_0800, 0x800), Is.EqualTo(data[..0x800]));
            Assert.That(rig.Ram.Read(0x21_5000, 0x1000), Is.EqualTo(data[0x800..0x1800]));
            Assert.That(rig.Ram.Read(0x90_0000, 0x1000), Is.EqualTo(data[0x1800..0x2800]));
            Assert.That(rig.Ram.Read(0x40_0800, 16), Is.All.EqualTo(0), "the virtual address itself is not written");
            Assert.That(tlb.LastInitiator, Is.EqualTo(7));
        }

        [Test]
        public void MissStallsThenRefillResumesWithTheRightBytes()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            var data = rig.Fill(0x10_0000, 3 * 4096, 1);
            tlb.Map(0x50_0000, 0x10_0000, write: false);
            tlb.Map(0x50_1000, 0x10_1000, write: false);
            rig.PutDescriptor(0x1000, 0x50_0000, 0x20_0000, 3 * 4096, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateSource);

            rig.Start(0, 0x1000);

            Assert.That(rig.Status(0), Is.EqualTo(StatusBusy | StatusWaitingOnTlb));
            Assert.That(rig.BytesDone(0), Is.EqualTo(2 * 4096), "the mapped pages moved before the stall");
            Assert.That(tlb.Waiting, Is.EqualTo(1));
            Assert.That(rig.Engine.GetChannel(0).Phase, Is.EqualTo(DmaChannelPhase.WaitingForTranslation));

            tlb.Map(0x50_2000, 0x10_2000, write: false);
            tlb.ResolveAll();

            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(rig.Ram.Read(0x20_0000, 3 * 4096), Is.EqualTo(data));
        }

        [Test]
        public void TlbAbortStopsTheChannel()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x1000);

            tlb.AbortAll();

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.TlbAbort));
            Assert.That(rig.FaultAddress(0), Is.EqualTo(0x50_0000), "the device-virtual address that missed");
            Assert.That(rig.Status(0), Is.EqualTo(StatusError | StatusInterrupt));
            Assert.That(rig.Host.Logged("TlbAbort"), Is.True);
        }

        [Test]
        public void PermissionFaultStallsThenAbortReportsIt()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            tlb.Map(0x50_0000, 0x30_0000, read: true, write: false);
            rig.Fill(0x10_0000, 64, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);
            Assert.That(rig.Status(0), Is.EqualTo(StatusBusy | StatusWaitingOnTlb));

            tlb.AbortAll();

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.TlbPermissionFault));
            Assert.That(rig.FaultAddress(0), Is.EqualTo(0x50_0000));
            Assert.That(rig.Ram.Read(0x30_0000, 64), Is.All.EqualTo(0));
            Assert.That(rig.Host.Logged("TlbPermissionFault"), Is.True);
        }

        [Test]
        public void PermissionFixedBySoftwareLetsTheTransferFinish()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            tlb.Map(0x50_0000, 0x30_0000, read: true, write: false);
            var data = rig.Fill(0x10_0000, 64, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x1000);

            tlb.Map(0x50_0000, 0x30_0000, read: true, write: true);
            tlb.ResolveAll();

            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(rig.Ram.Read(0x30_0000, 64), Is.EqualTo(data));
        }

        [Test]
        public void AbortWhileWaitingOnTheTlbThenALateResolveIsIgnored()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            rig.Fill(0x10_0000, 64, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);
            rig.Start(0, 0x1000);

            rig.ChannelWrite(0, Control, ControlAbort | ControlInterruptEnable);
            tlb.Map(0x50_0000, 0x30_0000);
            tlb.ResolveAll();

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.Aborted));
            Assert.That(rig.Status(0), Is.EqualTo(StatusError | StatusInterrupt));
            Assert.That(rig.Ram.Read(0x30_0000, 64), Is.All.EqualTo(0));
        }

        [Test]
        public void RefillFromInsideTheLookupNeedsNoStall()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            var data = rig.Fill(0x10_0000, 64, 1);
            tlb.MapInAssist(0x50_0000, 0x30_0000);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(rig.Ram.Read(0x30_0000, 64), Is.EqualTo(data));
            Assert.That(tlb.Misses, Is.EqualTo(1));
        }

        [Test]
        public void BothSidesTranslatedLandWhereEachPageMaps()
        {
            // Pages that continue each other physically on both sides and pages that jump, on
            // either side, in one descriptor.
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            var data = rig.Fill(0x10_0000, 5 * 4096, 3);
            ulong[] sourcePages = { 0x10_0000, 0x10_1000, 0x10_3000, 0x10_4000, 0x10_2000 };
            ulong[] destinationPages = { 0x30_0000, 0x30_1000, 0x30_2000, 0x38_0000, 0x38_1000 };
            for(var i = 0; i < 5; i++)
            {
                tlb.Map(0x50_0000 + (ulong)i * 0x1000, sourcePages[i]);
                tlb.Map(0x60_0000 + (ulong)i * 0x1000, destinationPages[i]);
            }
            rig.PutDescriptor(0x1000, 0x50_0000, 0x60_0000, 5 * 4096,
                DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateSource | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.None));
            for(var i = 0; i < 5; i++)
            {
                var expected = data[(int)(sourcePages[i] - 0x10_0000)..(int)(sourcePages[i] - 0x10_0000 + 0x1000)];
                Assert.That(rig.Ram.Read(destinationPages[i], 0x1000), Is.EqualTo(expected), $"page {i}");
            }
        }

        // Three virtually contiguous pages mapped to physically contiguous frames, the last of them
        // the start of the hole or of the engine's registers: the two before it move and are
        // counted, the third stops the channel.
        [TestCase(DmaRig.HoleBase, DmaErrorCause.DataNotInMemory)]
        [TestCase(DmaRig.RegistersBase, DmaErrorCause.RegisterOverlap)]
        public void PagesMappedUpToWhatIsNotRamMoveBeforeTheCopyStops(ulong notRam, DmaErrorCause cause)
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            var data = rig.Fill(0x10_0000, 3 * 4096, 4);
            for(var i = 0UL; i < 3; i++)
            {
                tlb.Map(0x50_0000 + i * 0x1000, notRam - 0x2000 + i * 0x1000);
            }
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 3 * 4096, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(cause));
            Assert.That(rig.FaultAddress(0), Is.EqualTo(notRam));
            Assert.That(rig.BytesDone(0), Is.EqualTo(0x2000));
            Assert.That(rig.Ram.Read(notRam - 0x2000, 0x2000), Is.EqualTo(data[..0x2000]));
            Assert.That(rig.Host.Logged("8192 bytes moved"), Is.True, "the log counts the pages that moved");
        }

        [Test]
        public void TranslationOntoTheEnginesRegistersIsRefused()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            tlb.Map(0x50_0000, DmaRig.RegistersBase);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.RegisterOverlap));
            Assert.That(rig.FaultAddress(0), Is.EqualTo(DmaRig.RegistersBase));
        }

        [Test]
        public void TranslatedRangeMustStillBeInsideTheWindow()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(translator: tlb);
            tlb.Map(DmaRig.WindowEnd, 0x30_0000);
            rig.PutDescriptor(0x1000, 0x10_0000, DmaRig.WindowEnd, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.AddressOutsideWindow));
            Assert.That(tlb.Lookups, Is.Zero);
        }

        [Test]
        public void TimedTransferStallsOnAMissAfterItsTime()
        {
            var tlb = new FakeTranslator();
            var rig = new DmaRig(bandwidth: 1_000_000, translator: tlb);
            var data = rig.Fill(0x10_0000, 1000, 1);
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 1000, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            rig.Start(0, 0x1000);
            Assert.That(tlb.Lookups, Is.Zero, "translation happens when the bytes move");
            rig.Host.Advance(1_000_000);
            Assert.That(rig.Status(0), Is.EqualTo(StatusBusy | StatusWaitingOnTlb));

            tlb.Map(0x50_0000, 0x30_0000);
            tlb.ResolveAll();
            Assert.That(rig.Status(0), Is.EqualTo(StatusDone | StatusInterrupt));
            Assert.That(rig.Ram.Read(0x30_0000, 1000), Is.EqualTo(data));
        }

        // The model does not catch (the host's entry point does, see EntryPointBoundary): the
        // exception reaches the host, which stops the channel so software sees an error, not a hang.
        [Test]
        public void ATranslatorThatThrowsReachesTheHostWhichStopsTheChannel()
        {
            var rig = new DmaRig(translator: new ThrowingTranslator());
            rig.PutDescriptor(0x1000, 0x10_0000, 0x50_0000, 64, DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateDestination);

            Assert.Throws<System.InvalidOperationException>(() => rig.Start(0, 0x1000));
            Assert.That(rig.Status(0) & StatusBusy, Is.Not.Zero, "the exception left the channel mid-transfer");

            rig.Engine.StopWithInternalError(rig.Engine.ChannelOfRegister(0x100 + 0x08));

            Assert.That(rig.Cause(0), Is.EqualTo(DmaErrorCause.InternalError));
            Assert.That(rig.Status(0), Is.EqualTo(StatusError | StatusInterrupt));
            Assert.That(rig.Host.InternalErrors, Is.Empty, "the host logged the exception; stopping adds no line");
        }

        private sealed class ThrowingTranslator : IIoTranslator
        {
            public TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
                out ulong physicalAddress, out ulong bytesInPage)
            {
                throw new System.InvalidOperationException("broken translator");
            }

            public void Cancel(ITranslationRequester waiter)
            {
            }
        }
    }
}
