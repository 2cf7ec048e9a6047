using System;
using System.Buffers.Binary;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using static RenodeFrameAlloc.Tests.TlbRegisterMap;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    public class TlbCounterTests
    {
        [Test]
        public void CountersFollowAScriptedSequence()
        {
            var ram = new PhysicalRam(new[] { new BusRange("ram", 0x8000_0000, 1 << 20) });
            var tlb = new SoftwareManagedTlbModel(8, 0, ram, new RecordingHost());
            var registers = new SoftwareManagedTlbRegisters(tlb);
            tlb.ConfigureTsb(0x8008_0000, 4, true);
            var tsbEntry = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(tsbEntry, 0x7000UL | 1);
            BinaryPrimitives.WriteUInt64LittleEndian(tsbEntry.AsSpan(8), 0x8000_3000UL | 1 | 2);
            ram.Write(0x8008_0000 + 7 * 16, tsbEntry);

            tlb.WriteIndexed(0, new TlbEntry(0x1000, 0x8000_1000, 1, true, false));       // refill 1
            tlb.WriteRandom(new TlbEntry(0x2000, 0x8000_2000, 1, true, true));            // refill 2
            tlb.WriteIndexed(3, TlbEntry.Invalid);                                        // not a refill
            tlb.Translate(0x1000, 1, DmaAccess.Read, null, out _, out _);                 // hit
            tlb.Translate(0x2000, 1, DmaAccess.Write, null, out _, out _);                // hit
            tlb.Translate(0x2004, 1, DmaAccess.Read, null, out _, out _);                 // hit
            tlb.Translate(0x7000, 1, DmaAccess.Read, null, out _, out _);                 // miss, TSB refill
            tlb.Translate(0x7008, 1, DmaAccess.Read, null, out _, out _);                 // hit
            tlb.Translate(0x9000, 1, DmaAccess.Read, null, out _, out _);                 // miss, fault (latched)
            tlb.Translate(0x1000, 1, DmaAccess.Write, null, out _, out _);                // fault (permission, overrun)

            Assert.That(tlb.Hits, Is.EqualTo(4UL));
            Assert.That(tlb.Misses, Is.EqualTo(2UL));
            Assert.That(tlb.Refills, Is.EqualTo(2UL));
            Assert.That(tlb.TsbRefills, Is.EqualTo(1UL));
            Assert.That(tlb.Faults, Is.EqualTo(2UL));
            Assert.That(registers.Read(Hits), Is.EqualTo(4u));
            Assert.That(registers.Read(Misses), Is.EqualTo(2u));
            Assert.That(registers.Read(Refills), Is.EqualTo(2u));
            Assert.That(registers.Read(TsbRefills), Is.EqualTo(1u));
            Assert.That(registers.Read(Faults), Is.EqualTo(2u));

            registers.Write(Command, CommandResetCounters);
            Assert.That(registers.Read(Hits) + registers.Read(Misses) + registers.Read(Refills) + registers.Read(TsbRefills) + registers.Read(Faults), Is.Zero);
        }
    }
}
