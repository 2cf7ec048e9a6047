using System;
using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using static RenodeFrameAlloc.Tests.TlbRegisterMap;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    // A DMA transfer through the TLB with a guest driver that refills on the interrupt, all via
    // the documented registers.
    public class TlbTransferTests
    {
        [SetUp]
        public void SetUp()
        {
            ram = new PhysicalRam(new[] { new BusRange("ram", RamBase, 16 << 20) });
            host = new RecordingHost();
            tlb = new SoftwareManagedTlbModel(16, 0, ram, host);
            registers = new SoftwareManagedTlbRegisters(tlb);
            pageTable = new Dictionary<ulong, ulong>();
        }

        [Test]
        public void MissInterruptRefillResumeCompletesTheTransferWithTheRightBytes()
        {
            // Source spans 3 device-virtual pages mapped to scattered, out-of-order frames.
            const ulong sourceVa = 0x1000_0000;
            const ulong destinationVa = 0x2000_0800;
            const int length = 3 * 4096 - 0x100;
            MapPages(sourceVa, new ulong[] { RamBase + 0x50000, RamBase + 0x13000, RamBase + 0x2A000 });
            MapPages(destinationVa & ~0xFFFUL, new ulong[] { RamBase + 0x70000, RamBase + 0x61000, RamBase + 0x90000, RamBase + 0x33000 });
            var data = new byte[length];
            new Random(7).NextBytes(data);
            WriteVirtual(sourceVa, data);

            var copier = new PagedCopier(tlb, ram, 5);
            copier.Start(sourceVa, destinationVa, length);
            var interrupts = 0;
            while(host.Interrupt)
            {
                interrupts++;
                Assert.That(interrupts, Is.LessThan(20), "refill loop does not converge");
                ServiceFault();
            }

            Assert.That(copier.Finished, Is.True);
            Assert.That(copier.WasAborted, Is.False);
            Assert.That(ReadVirtual(destinationVa, length), Is.EqualTo(data));
            // 3 source pages + 4 destination pages, each missed once.
            Assert.That(interrupts, Is.EqualTo(7));
            Assert.That(registers.Read(Refills), Is.EqualTo(7u));
        }

        [Test]
        public void AbortStopsTheTransferWhereItStalled()
        {
            const ulong sourceVa = 0x1000_0000;
            const ulong destinationVa = 0x2000_0000;
            MapPages(sourceVa, new ulong[] { RamBase + 0x1000, RamBase + 0x2000 });
            MapPages(destinationVa, new ulong[] { RamBase + 0x3000 });
            // The second destination page is not mapped: the driver will abort.
            var copier = new PagedCopier(tlb, ram, 5);
            copier.Start(sourceVa, destinationVa, 2 * 4096);
            while(host.Interrupt)
            {
                var faultVa = ((ulong)registers.Read(FaultAddressHigh) << 32) | registers.Read(FaultAddressLow);
                if(!pageTable.ContainsKey(faultVa & ~0xFFFUL))
                {
                    registers.Write(Command, CommandAbort);
                    continue;
                }
                ServiceFault();
            }
            Assert.That(copier.WasAborted, Is.True);
            Assert.That(copier.Finished, Is.False);
            Assert.That(copier.Done, Is.EqualTo(4096UL));
            Assert.That(registers.Read(Status) & StatusFaultPending, Is.Zero);
        }

        // The guest's interrupt handler: read the fault, look the page up, write a random entry, resume.
        private void ServiceFault()
        {
            Assert.That(registers.Read(Status) & StatusFaultPending, Is.Not.Zero);
            var faultVa = ((ulong)registers.Read(FaultAddressHigh) << 32) | registers.Read(FaultAddressLow);
            var info = registers.Read(FaultInfo);
            Assert.That(info & FaultInfoStalled, Is.Not.Zero);
            Assert.That((info >> FaultInfoCauseShift) & 3, Is.EqualTo(1u), "cause: miss");
            var page = faultVa & ~0xFFFUL;
            var frame = pageTable[page];
            registers.Write(EntryVirtualLow, (uint)page);
            registers.Write(EntryVirtualHigh, (uint)(page >> 32));
            registers.Write(EntryPhysicalLow, (uint)frame);
            registers.Write(EntryPhysicalHigh, (uint)(frame >> 32));
            registers.Write(EntryAttributes, (info & 0xFFF) | AttributeValid | AttributeRead | AttributeWrite);
            registers.Write(Command, CommandWriteRandom);
            registers.Write(Command, CommandResume);
        }

        private void MapPages(ulong firstPage, ulong[] frames)
        {
            for(var i = 0; i < frames.Length; i++)
            {
                pageTable[firstPage + (ulong)i * 4096] = frames[i];
            }
        }

        private void WriteVirtual(ulong va, byte[] data)
        {
            for(var i = 0; i < data.Length; i++)
            {
                var at = va + (ulong)i;
                ram.Write(pageTable[at & ~0xFFFUL] + (at & 0xFFF), new[] { data[i] });
            }
        }

        private byte[] ReadVirtual(ulong va, int length)
        {
            var data = new byte[length];
            for(var i = 0; i < length; i++)
            {
                var at = va + (ulong)i;
                data[i] = ram.Read(pageTable[at & ~0xFFFUL] + (at & 0xFFF), 1)[0];
            }
            return data;
        }

        private PhysicalRam ram;
        private RecordingHost host;
        private SoftwareManagedTlbModel tlb;
        private SoftwareManagedTlbRegisters registers;
        private Dictionary<ulong, ulong> pageTable;

        private const ulong RamBase = 0x8000_0000;
    }
}
