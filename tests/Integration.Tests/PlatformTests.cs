using System;
using System.Collections.Generic;
using System.Linq;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Integration.Tests.Parsing;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Integration.Tests
{
    // platforms/framealloc-riscv64.repl, plus the test-only robot-tests/stock-dma.repl the suites
    // load on top of it: the address map, the RAM the frame pool manages, the DMA windows, the TLB
    // and the interrupt wiring, checked against the .repl text and the plugin's own classes.
    [TestFixture]
    public class PlatformTests
    {
        // A fresh board per test: tests drive registers and must not see each other's state.
        [SetUp]
        public void LoadPlatform()
        {
            platform = ReplDocument.Load(RepositoryLayout.PlatformRepl);
            stockDma = ReplDocument.Load(RepositoryLayout.Path("robot-tests", "stock-dma.repl"));
            board = new StandInBoard(platform, stockDma);
            map = new PlatformMap(board, platform, stockDma);
        }

        [Test]
        public void EveryRegisteredPeripheralHasAKnownRange()
        {
            Assert.That(map.Problems, Is.Empty);
            var registered = platform.Entries.Concat(stockDma.Entries).Count(e => e.IsOnSystemBus && e.Registration.Address.HasValue);
            Assert.That(map.Regions.Count, Is.EqualTo(registered));
        }

        [Test]
        public void NoTwoRangesOverlap()
        {
            Assert.That(map.Overlaps().Select(p => $"{p.Item1} overlaps {p.Item2}"), Is.Empty);
        }

        // platforms/framealloc-riscv64-*.repl are fragments loaded on top of the board (the hart TLB's):
        // none may register where the board already has something. Renode refuses such a platform.
        [Test]
        public void PlatformFragmentsRegisterNothingWhereTheBoardHasSomething()
        {
            var fragments = System.IO.Directory.GetFiles(RepositoryLayout.Path("platforms"), "framealloc-riscv64-*.repl");
            Assert.That(fragments, Is.Not.Empty);
            foreach(var fragment in fragments)
            {
                foreach(var entry in ReplDocument.Load(fragment).Entries.Where(e => e.IsOnSystemBus && e.Registration.Address.HasValue))
                {
                    var address = entry.Registration.Address.Value;
                    var taken = map.Regions.Where(r => address >= r.Start && address - r.Start < r.Size).Select(r => r.Name);
                    Assert.That(taken, Is.Empty, $"{System.IO.Path.GetFileName(fragment)}: {entry.Name} at 0x{address:X}");
                }
            }
        }

        [Test]
        public void EveryReferenceAndConnectionNamesAPeripheral()
        {
            var names = new HashSet<string>(platform.Entries.Concat(stockDma.Entries).Select(e => e.Name));
            foreach(var entry in platform.Entries.Concat(stockDma.Entries))
            {
                foreach(var key in entry.AttributeOrder.Where(k => entry.Attributes[k].Kind == ReplValueKind.Reference))
                {
                    Assert.That(names, Does.Contain(entry.Attributes[key].Text), $"{entry}: {key}");
                }
                foreach(var connection in entry.Connections)
                {
                    Assert.That(names, Does.Contain(connection.Target), $"{entry}: {connection}");
                }
            }
        }

        [Test]
        public void RamHasALowWindowMemoryBelow4GiBAndMemoryAbove4GiB()
        {
            var ram = PooledMemory().ToList();

            Assert.That(ram.Where(r => r.End <= SixteenMiB), Is.Not.Empty, "RAM a 24-bit engine can reach");
            Assert.That(ram.Where(r => r.Start >= SixteenMiB && r.End <= FourGiB), Is.Not.Empty, "RAM only 32-bit and wider engines reach");
            Assert.That(ram.Where(r => r.Start >= FourGiB), Is.Not.Empty, "RAM above 4 GiB");
            Assert.That(ram.Where(r => r.Start < SixteenMiB && r.End > SixteenMiB), Is.Empty, "a block straddling 16 MiB");
            Assert.That(ram.Where(r => r.Start < FourGiB && r.End > FourGiB), Is.Empty, "a block straddling 4 GiB");
        }

        [Test]
        public void FramePoolRangesAreExactlyThePooledMemoryBlocks()
        {
            var framePool = EntryOfType("Miscellaneous.FramePoolDevice").Single();
            Assert.That(BusRange.TryParseList(framePool.Attribute("ranges").Text, out var ranges, out var error), Is.True, error);

            var expected = PooledMemory().Select(r => (r.Name, r.Start, r.Size)).OrderBy(r => r.Start);
            var actual = ranges.Select(r => (r.Name, r.Base, r.Size)).OrderBy(r => r.Item2);
            Assert.That(actual, Is.EqualTo(expected), "each range is named after, and spans exactly, one memory block");
        }

        [Test]
        public void FirmwareOnlyMemoryIsRealAndOutsideThePool()
        {
            // The exclusion list must not hide RAM: each name is a memory block no range covers.
            var framePool = (FramePoolDevice)board.Peripherals[EntryOfType("Miscellaneous.FramePoolDevice").Single().Name];
            foreach(var name in FirmwareOnlyMemory)
            {
                var block = map.Get(name);
                Assert.That(block.IsMemory, Is.True, name);
                Assert.That(framePool.Allocator.Ranges.Any(r => r.Base < block.End && block.Start < r.Base + r.Size), Is.False,
                    $"{name} is handed out by the pool");
            }
        }

        [Test]
        public void FramePoolDeviceReportsTheRamLayoutThroughItsRegisters()
        {
            var framePoolEntry = EntryOfType("Miscellaneous.FramePoolDevice").Single();
            var registers = framePoolEntry.Registration.Address.Value;
            var ram = PooledMemory().OrderBy(r => r.Start).ToList();

            Assert.That(board.Bus.ReadDoubleWord(registers + 0x00), Is.EqualTo(0x46504F4Cu), "ID at the .repl's address");
            Assert.That(board.Bus.ReadDoubleWord(registers + 0x60), Is.EqualTo((uint)ram.Count), "RANGE_COUNT");
            var reported = new List<(ulong, ulong)>();
            for(var i = 0u; i < ram.Count; i++)
            {
                board.Bus.WriteDoubleWord(registers + 0x64, i);
                var start = board.Bus.ReadDoubleWord(registers + 0x80) | ((ulong)board.Bus.ReadDoubleWord(registers + 0x84) << 32);
                var size = board.Bus.ReadDoubleWord(registers + 0x88) | ((ulong)board.Bus.ReadDoubleWord(registers + 0x8C) << 32);
                reported.Add((start, size));
            }
            Assert.That(reported.OrderBy(r => r.Item1), Is.EqualTo(ram.Select(r => (r.Start, r.Size))));
        }

        [Test]
        public void TwentyFourBitEngineReachesOnlyTheLowWindow()
        {
            var engine = DmaEngineWithAddressBits(24);

            Assert.That(ReachableMemory(engine), Is.EqualTo(PooledMemory().Where(r => r.End <= SixteenMiB).Select(r => r.Name)));
        }

        [Test]
        public void ThirtyTwoBitEngineReachesAllMemoryBelow4GiBAndNothingAbove()
        {
            var engine = DmaEngineWithAddressBits(32);

            Assert.That(ReachableMemory(engine), Is.EqualTo(PooledMemory().Where(r => r.End <= FourGiB).Select(r => r.Name)));
        }

        [Test]
        public void NoMemoryBlockStraddlesAnEngineWindow()
        {
            foreach(var entry in EntryOfType("DMA.ScatterGatherDma"))
            {
                var (windowBase, windowLast) = EngineWindow(entry);
                foreach(var block in PooledMemory())
                {
                    var inside = block.Start >= windowBase && block.End - 1 <= windowLast;
                    var outside = block.End - 1 < windowBase || block.Start > windowLast;
                    Assert.That(inside || outside, Is.True, $"{block} is partly inside {entry.Name}'s window [0x{windowBase:X}, 0x{windowLast:X}]");
                }
            }
        }

        [Test]
        public void EnginesAnswerAtTheReplAddressWithTheReplConfiguration()
        {
            foreach(var entry in EntryOfType("DMA.ScatterGatherDma"))
            {
                var registers = entry.Registration.Address.Value;
                var bits = (int)entry.Attribute("addressBits").AsNumber;

                Assert.That(board.Bus.ReadDoubleWord(registers + 0x00), Is.EqualTo(0x5347444Du), $"{entry.Name}: ID \"SGDM\"");
                Assert.That(board.Bus.ReadDoubleWord(registers + 0x08), Is.EqualTo((uint)entry.Attribute("channels").AsNumber), $"{entry.Name}: CHANNELS");
                Assert.That(EngineWindow(entry), Is.EqualTo((0UL, (1UL << bits) - 1)), $"{entry.Name}: WINDOW_BASE/WINDOW_LAST");
            }
        }

        [Test]
        public void TheTlbSitsInFrontOfExactlyOneEngine()
        {
            // Behaviour, not configuration: a descriptor asking for translation stalls on a TLB miss
            // (reported by the TLB with the engine's initiator id) on the engine behind the TLB, and
            // fails with TranslationUnavailable (12) on an engine without one.
            var tlbEntry = EntryOfType("Miscellaneous.SoftwareManagedTlb").Single();
            var tlbRegisters = tlbEntry.Registration.Address.Value;
            Assert.That(board.Bus.ReadDoubleWord(tlbRegisters) & 0xFFFF, Is.EqualTo((uint)tlbEntry.Attribute("entryCount").AsNumber),
                "CAPABILITIES.ENTRIES at the .repl's address");

            var stalled = new List<string>();
            foreach(var entry in EntryOfType("DMA.ScatterGatherDma"))
            {
                var registers = entry.Registration.Address.Value;
                // One 64-byte descriptor at 0x1000 copying 0x2000 -> 0x3000, END_OF_CHAIN | TRANSLATE_SOURCE.
                board.Ram.Write(0x1000, new DmaDescriptor(0x2000, 0x3000, 64,
                    DmaDescriptorControl.EndOfChain | DmaDescriptorControl.TranslateSource, 0).ToBytes());
                board.Bus.WriteDoubleWord(registers + 0x100, 0x1000);
                board.Bus.WriteDoubleWord(registers + 0x104, 0);
                board.Bus.WriteDoubleWord(registers + 0x108, 0x1);

                var status = board.Bus.ReadDoubleWord(registers + 0x10C);
                if((status & 0x8) != 0)
                {
                    stalled.Add(entry.Name);
                    var faultInfo = board.Bus.ReadDoubleWord(tlbRegisters + 0x38);
                    Assert.That(board.Bus.ReadDoubleWord(tlbRegisters + 0x28) & 0x1, Is.EqualTo(1u), "TLB STATUS.FAULT_PENDING");
                    Assert.That(faultInfo & 0xFFF, Is.EqualTo((uint)entry.Attribute("initiatorId").AsNumber), "FAULT_INFO.INITIATOR");
                    board.Bus.WriteDoubleWord(tlbRegisters + 0x24, 9); // ABORT, so the next engine starts clean
                }
                else
                {
                    Assert.That(status & 0x4, Is.EqualTo(0x4u), $"{entry.Name}: neither stalled nor failed");
                    Assert.That(board.Bus.ReadDoubleWord(registers + 0x110), Is.EqualTo(12u), $"{entry.Name}: ERROR_CAUSE");
                }
            }
            Assert.That(stalled.Count, Is.EqualTo(1), "engines behind the TLB: " + string.Join(", ", stalled));
        }

        [Test]
        public void EngineInitiatorIdsAreDistinct()
        {
            var ids = EntryOfType("DMA.ScatterGatherDma").Select(e => e.Attribute("initiatorId").AsNumber).ToList();

            Assert.That(ids, Is.Unique);
        }

        [Test]
        public void PlicSourcesAreUniqueAndInRange()
        {
            var plic = PlicEntry();
            var sources = plic.Attribute("numberOfSources").AsNumber;
            var wires = AllEntries().SelectMany(e => e.Connections.Select(c => (Entry: e, Connection: c)))
                .Where(w => w.Connection.Target == plic.Name)
                .ToList();

            Assert.That(wires, Is.Not.Empty);
            foreach(var wire in wires)
            {
                Assert.That(wire.Connection.TargetNumber, Is.InRange(1, sources), $"{wire.Entry.Name}: {wire.Connection} (source 0 does not exist on a PLIC)");
            }
            var duplicates = wires.GroupBy(w => w.Connection.TargetNumber).Where(g => g.Count() > 1)
                .Select(g => $"source {g.Key}: " + string.Join(", ", g.Select(w => $"{w.Entry.Name} {w.Connection}")));
            Assert.That(duplicates, Is.Empty);
        }

        [Test]
        public void EveryInterruptOfThePluginsPeripheralsReachesThePlic()
        {
            var plic = PlicEntry();
            foreach(var entry in AllEntries().Where(e => StandInBoard.IsPluginType(e.TypeName)))
            {
                var peripheral = board.Peripherals[entry.Name];
                if(peripheral is Antmicro.Renode.Core.INumberedGPIOOutput numbered)
                {
                    var wired = entry.Connections.Where(c => c.Target == plic.Name && c.SourceNumber.HasValue).Select(c => c.SourceNumber.Value);
                    Assert.That(wired, Is.EquivalentTo(numbered.Connections.Keys), $"{entry.Name}: every channel's line on the PLIC");
                }
                var named = peripheral.GetType().GetProperties().Where(p => p.PropertyType == typeof(Antmicro.Renode.Core.GPIO)).Select(p => p.Name);
                foreach(var line in named)
                {
                    Assert.That(entry.Connections.Any(c => c.SourceName == line && c.Target == plic.Name), Is.True, $"{entry.Name}.{line} is not wired to the PLIC");
                }
            }
        }

        [Test]
        public void PlicAndClintOutputsExistAndReachTheHart()
        {
            var plic = PlicEntry();
            var contexts = plic.Attribute("numberOfContexts").AsNumber;
            Assert.That(plic.Connections.Select(c => c.SourceNumber), Has.All.Not.Null.And.All.InRange(0, contexts - 1));
            Assert.That(plic.Connections.Select(c => (c.Target, c.TargetNumber)), Does.Contain(("cpu", 11)), "context 0 drives the machine external interrupt");

            var clint = AllEntries().Single(e => e.TypeName == "IRQControllers.CoreLevelInterruptor");
            var targets = clint.Attributes.TryGetValue("numberOfTargets", out var count) ? count.AsNumber : 1;
            Assert.That(clint.Connections.Select(c => c.SourceNumber), Has.All.Not.Null.And.All.InRange(0, 2 * targets - 1));
            Assert.That(clint.Connections.Select(c => (c.Target, c.TargetNumber)), Is.EquivalentTo(new[] { ("cpu", 3), ("cpu", 7) }),
                "software and timer interrupts of hart 0");
        }

        [Test]
        public void DmaChannelInterruptsArriveOnTheirPlicSources()
        {
            // Drives each engine's channel-0 line the way a transfer would (ABORT of nothing is
            // quiet, so use a bad START: descriptor pointer outside the window) and watches the input.
            foreach(var entry in EntryOfType("DMA.ScatterGatherDma"))
            {
                var registers = entry.Registration.Address.Value;
                var source = entry.Connections.Single(c => c.SourceNumber == 0).TargetNumber;
                Assert.That(board.InputLevel(PlicEntry().Name, source), Is.False, $"{entry.Name}: line idle before");

                board.Bus.WriteDoubleWord(registers + 0x100, 0xFFFFFFF8);
                board.Bus.WriteDoubleWord(registers + 0x104, 0xFFFFFFFF);
                board.Bus.WriteDoubleWord(registers + 0x108, 0x5); // START | INTERRUPT_ENABLE

                Assert.That(board.Bus.ReadDoubleWord(registers + 0x10C) & 0x4, Is.EqualTo(0x4u), $"{entry.Name}: channel 0 ERROR");
                Assert.That(board.InputLevel(PlicEntry().Name, source), Is.True, $"{entry.Name}: PLIC source {source} raised");
            }
        }

        private IEnumerable<ReplEntry> AllEntries()
        {
            return platform.Entries.Concat(stockDma.Entries);
        }

        private IEnumerable<ReplEntry> EntryOfType(string typeName)
        {
            return AllEntries().Where(e => e.TypeName == typeName);
        }

        private ReplEntry PlicEntry()
        {
            return AllEntries().Single(e => e.TypeName == "IRQControllers.PlatformLevelInterruptController");
        }

        private ReplEntry DmaEngineWithAddressBits(int bits)
        {
            return EntryOfType("DMA.ScatterGatherDma").Single(e => e.Attribute("addressBits").AsNumber == bits);
        }

        // The window the engine reports through WINDOW_BASE/WINDOW_LAST (inclusive last address).
        private (ulong Base, ulong Last) EngineWindow(ReplEntry engine)
        {
            var registers = engine.Registration.Address.Value;
            var windowBase = board.Bus.ReadDoubleWord(registers + 0x10) | ((ulong)board.Bus.ReadDoubleWord(registers + 0x14) << 32);
            var windowLast = board.Bus.ReadDoubleWord(registers + 0x18) | ((ulong)board.Bus.ReadDoubleWord(registers + 0x1C) << 32);
            return (windowBase, windowLast);
        }

        private IEnumerable<string> ReachableMemory(ReplEntry engine)
        {
            var (windowBase, windowLast) = EngineWindow(engine);
            return PooledMemory().Where(r => r.Start >= windowBase && r.End - 1 <= windowLast).Select(r => r.Name);
        }

        // The RAM the frame pool should manage: every memory block except firmware-only ones.
        private IEnumerable<MappedRegion> PooledMemory()
        {
            return map.Memory.Where(r => !FirmwareOnlyMemory.Contains(r.Name)).OrderBy(r => r.Start);
        }

        private ReplDocument platform;
        private ReplDocument stockDma;
        private StandInBoard board;
        private PlatformMap map;

        // Memory blocks that hold firmware rather than RAM for the allocator (the boot ROM the idle
        // loop runs from). FirmwareOnlyMemoryIsRealAndOutsideThePool keeps this list honest.
        private static readonly string[] FirmwareOnlyMemory = { "bootrom" };
        private const ulong SixteenMiB = 16UL << 20;
        private const ulong FourGiB = 1UL << 32;
    }
}
