using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.Devices.Tlb;
using RenodeFrameAlloc.Tests;

namespace RenodeFrameAlloc.Devices.Tests.HartTlb
{
    public class HartTlbModelTests
    {
        [SetUp]
        public void SetUp()
        {
            ram = new PhysicalRam(new[] { new BusRange("ram", RamBase, 16 << 20) });
            hart = new WindowedHart();
            tlb = new HartSoftwareTlbModel(8, 2, Segment, hart, ram);
        }

        [Test]
        public void TheUnmappedSegmentTranslatesDirectlyAndNeverMisses()
        {
            Assert.That(hart.Access(tlb, 0x1234, HartAccess.Write), Is.EqualTo(0x1234UL));
            Assert.That(hart.Access(tlb, RamBase + 0x10, HartAccess.Execute), Is.EqualTo(RamBase + 0x10));
            Assert.That(tlb.Misses, Is.Zero);
            Assert.That(hart.Exceptions, Is.Empty);
        }

        [Test]
        public void AMissTrapsWithThePageFaultOfItsAccessAndLatchesTheFaultBlock()
        {
            Assert.That(hart.Access(tlb, MappedVa + 0x18, HartAccess.Write), Is.Null);
            Assert.That(hart.Access(tlb, MappedVa + 0x1000, HartAccess.Read), Is.Null);
            Assert.That(hart.Access(tlb, MappedVa + 0x2000, HartAccess.Execute), Is.Null);
            Assert.That(hart.Exceptions, Is.EqualTo(new[] { 15u, 13u, 12u }));
            Assert.That(tlb.LatchedFault.VirtualAddress, Is.EqualTo(MappedVa + 0x2000));
            Assert.That(tlb.LatchedFault.Access, Is.EqualTo(HartAccess.Execute));
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(HartFaultCause.Miss));
            Assert.That(tlb.LatchedFault.HartId, Is.EqualTo(3u));
            Assert.That(tlb.Misses, Is.EqualTo(3UL));
            // The second and third arrived with the first still pending: nested, and said so.
            Assert.That(tlb.NestedFaults, Is.EqualTo(2UL));
            Assert.That(tlb.Status & HartTlbStatus.NestedFault, Is.EqualTo(HartTlbStatus.NestedFault));
            Assert.That(hart.GuestErrors, Has.Count.EqualTo(2));
        }

        [Test]
        public void TheRefillEndsThePendingMissAndTheRetryTranslates()
        {
            Assert.That(hart.Access(tlb, MappedVa + 0x18, HartAccess.Write), Is.Null);
            Assert.That(tlb.Status & HartTlbStatus.FaultPending, Is.EqualTo(HartTlbStatus.FaultPending));
            var slot = tlb.WriteRandom(new HartTlbEntry(MappedVa, RamBase + 0x7000, HartPermissions.Read | HartPermissions.Write));
            Assert.That(slot, Is.InRange(2, 7));
            Assert.That(tlb.Status, Is.EqualTo(HartTlbStatus.None));
            Assert.That(hart.Access(tlb, MappedVa + 0x18, HartAccess.Write), Is.EqualTo(RamBase + 0x7018));
            Assert.That(tlb.Refills, Is.EqualTo(1UL));
            Assert.That(tlb.Misses, Is.EqualTo(tlb.Refills + tlb.TsbRefills));
            // Execute is not granted: a protection fault, not a miss.
            Assert.That(hart.Access(tlb, MappedVa + 0x20, HartAccess.Execute), Is.Null);
            Assert.That(tlb.LatchedFault.Cause, Is.EqualTo(HartFaultCause.Protection));
            Assert.That(tlb.ProtectionFaults, Is.EqualTo(1UL));
            Assert.That(tlb.Misses, Is.EqualTo(1UL));
        }

        [Test]
        public void NoMissEverLogsRenodesNoWindowErrorBecauseTheSecondCallNamesTheProbeWindow()
        {
            hart.Access(tlb, MappedVa, HartAccess.Read);
            tlb.WriteRandom(new HartTlbEntry(MappedVa, RamBase, HartPermissions.Read));
            hart.Access(tlb, MappedVa + 0x1000, HartAccess.Write);
            var secondCalls = hart.FaultCalls.Where(c => !c.FirstTry).ToList();
            Assert.That(secondCalls, Has.Count.EqualTo(2));
            Assert.That(secondCalls.Select(c => c.Window), Has.All.Not.Null, "Renode logs an error when the second call has no window");
            // And the probe window is parked again: the refilled page translates.
            Assert.That(hart.Access(tlb, MappedVa, HartAccess.Read), Is.EqualTo(RamBase));
        }

        [Test]
        public void ReplacingAnEntryDropsItsWindowAndTheHartsCachedTranslation()
        {
            tlb.WriteIndexed(2, new HartTlbEntry(MappedVa, RamBase, HartPermissions.Read));
            Assert.That(hart.Access(tlb, MappedVa, HartAccess.Read), Is.EqualTo(RamBase));
            tlb.WriteIndexed(2, new HartTlbEntry(MappedVa + 0x1000, RamBase + 0x1000, HartPermissions.Read));
            Assert.That(hart.Access(tlb, MappedVa, HartAccess.Read), Is.Null, "a stale cached translation survived the replacement");
            Assert.That(hart.WindowCount, Is.EqualTo(3), "segment, probe and one entry");
        }

        [Test]
        public void AnOverlappingWriteReplacesTheOlderEntry()
        {
            tlb.WriteIndexed(2, new HartTlbEntry(MappedVa + 0x3000, RamBase, HartPermissions.Read));
            tlb.WriteIndexed(5, new HartTlbEntry(MappedVa, RamBase + 0x200000, HartPermissions.Read, TlbPageSize.Size2MiB));
            Assert.That(tlb.GetEntry(2).Valid, Is.False);
            Assert.That(tlb.Probe(MappedVa + 0x3000), Is.EqualTo(5));
            Assert.That(hart.Access(tlb, MappedVa + 0x3004, HartAccess.Read), Is.EqualTo(RamBase + 0x203004));
        }

        [TestCase(0x10000UL, TlbPageSize.Size4KiB, Description = "inside the unmapped segment")]
        [TestCase(0x1FFFFF000UL, TlbPageSize.Size2MiB, Description = "misaligned for its size")]
        [TestCase(0xFFFF_FFFF_FFFF_F000UL, TlbPageSize.Size4KiB, Description = "the parking page")]
        public void EntriesTheHartCouldNotUseAreRefused(ulong virtualPage, TlbPageSize size)
        {
            Assert.That(tlb.WriteIndexed(3, new HartTlbEntry(virtualPage, 0, HartPermissions.All, size)), Is.False);
            Assert.That(tlb.Status & HartTlbStatus.CommandError, Is.EqualTo(HartTlbStatus.CommandError));
            Assert.That(tlb.GetEntry(3).Valid, Is.False);
            Assert.That(hart.WindowCount, Is.EqualTo(2));
        }

        [Test]
        public void RandomWritesSpreadOverEveryNonWiredSlotAndNeverTouchWiredOnes()
        {
            tlb.WriteIndexed(0, new HartTlbEntry(MappedVa + 0x100000, RamBase, HartPermissions.Read));
            tlb.WriteIndexed(1, new HartTlbEntry(MappedVa + 0x101000, RamBase, HartPermissions.Read));
            var used = new HashSet<int>();
            for(var i = 0; i < 200; i++)
            {
                var expected = tlb.RandomIndex;
                var slot = tlb.WriteRandom(new HartTlbEntry(MappedVa + (ulong)i * 0x1000, RamBase, HartPermissions.Read));
                Assert.That(slot, Is.EqualTo(expected));
                used.Add(slot);
            }
            Assert.That(used, Is.EquivalentTo(Enumerable.Range(2, 6)));
            Assert.That(tlb.GetEntry(0).VirtualPage, Is.EqualTo(MappedVa + 0x100000));
            Assert.That(tlb.GetEntry(1).VirtualPage, Is.EqualTo(MappedVa + 0x101000));
        }

        [Test]
        public void TheTsbAssistRefillsWithoutATrapAndOnlyWhenTheEntryAllowsTheAccess()
        {
            WriteTsb(MappedVa, RamBase + 0x9000, 0x3); // VALID | READ
            Assert.That(tlb.ConfigureTsb(TsbBase, TsbLog2, true), Is.True);
            Assert.That(hart.Access(tlb, MappedVa + 8, HartAccess.Read), Is.EqualTo(RamBase + 0x9008));
            Assert.That(hart.Exceptions, Is.Empty);
            Assert.That(tlb.TsbRefills, Is.EqualTo(1UL));
            Assert.That(tlb.Misses, Is.EqualTo(1UL));
            WriteTsb(MappedVa + 0x1000, RamBase + 0xA000, 0x3);
            Assert.That(hart.Access(tlb, MappedVa + 0x1000, HartAccess.Write), Is.Null, "a read-only TSB entry does not satisfy a store");
            Assert.That(tlb.Traps, Is.EqualTo(1UL));
        }

        [Test]
        public void AnUnreadableTsbTurnsTheAssistOffAndTheMissTraps()
        {
            Assert.That(tlb.ConfigureTsb(0x7000_0000, TsbLog2, true), Is.True);
            Assert.That(hart.Access(tlb, MappedVa, HartAccess.Read), Is.Null);
            Assert.That(tlb.TsbEnabled, Is.False);
            Assert.That(tlb.Status & HartTlbStatus.CommandError, Is.EqualTo(HartTlbStatus.CommandError));
        }

        [Test]
        public void AMissHandlerWalkingAPageTableServesARandomWorkloadWithTheRightData()
        {
            // Oracle: a page table of 64 pages; the "handler" refills from it on every trap.
            var table = Enumerable.Range(0, 64).ToDictionary(p => MappedVa + (ulong)p * 0x1000, p => RamBase + 0x100000 + (ulong)(63 - p) * 0x1000);
            var random = new Random(7);
            var traps = 0;
            Assert.That(tlb.ConfigureTsb(TsbBase, TsbLog2, false), Is.True);
            for(var i = 0; i < 3000; i++)
            {
                if(i == 1500)
                {
                    tlb.ConfigureTsb(TsbBase, TsbLog2, true);
                }
                var page = MappedVa + (ulong)random.Next(64) * 0x1000;
                var offset = (ulong)random.Next(0x1000);
                var access = (HartAccess)random.Next(2);
                var physical = hart.Access(tlb, page + offset, access);
                if(physical == null)
                {
                    traps++;
                    var fault = tlb.LatchedFault;
                    Assert.That(fault.VirtualAddress, Is.EqualTo(page + offset));
                    var pa = table[fault.VirtualAddress & ~0xFFFUL];
                    tlb.WriteRandom(new HartTlbEntry(fault.VirtualAddress & ~0xFFFUL, pa, HartPermissions.Read | HartPermissions.Write));
                    if(tlb.TsbEnabled)
                    {
                        WriteTsb(fault.VirtualAddress & ~0xFFFUL, pa, 0x7);
                    }
                    physical = hart.Access(tlb, page + offset, access);
                }
                Assert.That(physical, Is.EqualTo(table[page] + offset));
            }
            Assert.That(tlb.Misses, Is.EqualTo(tlb.Refills + tlb.TsbRefills));
            Assert.That(tlb.Traps, Is.EqualTo((ulong)traps));
            Assert.That(tlb.TsbRefills, Is.GreaterThan(0UL));
            Assert.That(tlb.NestedFaults, Is.Zero);
            Assert.That(hart.WindowCount, Is.LessThanOrEqualTo(2 + 8));
        }

        [Test]
        public void ResetForgetsEntriesFaultsAndCountersButKeepsTheSegment()
        {
            hart.Access(tlb, MappedVa, HartAccess.Read);
            tlb.WriteIndexed(4, new HartTlbEntry(MappedVa, RamBase, HartPermissions.Read));
            tlb.SetWired(5);
            tlb.Reset();
            Assert.That(tlb.Wired, Is.EqualTo(2));
            Assert.That(tlb.Misses, Is.Zero);
            Assert.That(tlb.Status, Is.EqualTo(HartTlbStatus.None));
            Assert.That(hart.WindowCount, Is.EqualTo(2));
            Assert.That(hart.Access(tlb, 0x2000, HartAccess.Read), Is.EqualTo(0x2000UL));
            Assert.That(hart.Access(tlb, MappedVa, HartAccess.Read), Is.Null);
        }

        [Test]
        public void AllStateIsInFieldsASnapshotCarries()
        {
            tlb.WriteIndexed(3, new HartTlbEntry(MappedVa, RamBase, HartPermissions.Read));
            hart.Access(tlb, MappedVa + 0x5000, HartAccess.Write);
            var copy = new SnapshotCopier().Copy(tlb);
            Assert.That(copy.GetEntry(3), Is.EqualTo(tlb.GetEntry(3)));
            Assert.That(copy.LatchedFault.VirtualAddress, Is.EqualTo(MappedVa + 0x5000));
            Assert.That(copy.Status, Is.EqualTo(tlb.Status));
            Assert.That(copy.RandomIndex, Is.EqualTo(tlb.RandomIndex));
        }

        private void WriteTsb(ulong virtualPage, ulong physicalPage, ulong flags)
        {
            // By hand, in the documented layout (docs/hart-tlb.md), not with the model's encoder.
            var raw = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(raw, virtualPage);
            BinaryPrimitives.WriteUInt64LittleEndian(raw.AsSpan(8), physicalPage | flags);
            var slot = (virtualPage >> 12) & ((1UL << TsbLog2) - 1);
            Assert.That(ram.TryWrite(TsbBase + slot * 16, raw), Is.True);
        }

        private PhysicalRam ram;
        private WindowedHart hart;
        private HartSoftwareTlbModel tlb;

        private const ulong RamBase = 0x8000_0000;
        private const ulong TsbBase = RamBase + 0x40000;
        private const int TsbLog2 = 6;
        private const ulong MappedVa = 0x40_0000_0000;
        private static readonly UnmappedSegment Segment = new UnmappedSegment(0, 0x2_0000_0000, 0);
    }
}
