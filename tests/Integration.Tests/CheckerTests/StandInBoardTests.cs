using System;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests.CheckerTests
{
    // The board builder holds a .repl to the plugin classes' real constructor parameters, property
    // names and GPIOs, as Renode would at load time.
    [TestFixture]
    public class StandInBoardTests
    {
        [Test]
        public void BuildsAPluginPeripheralFromItsAttributes()
        {
            var board = new StandInBoard(ReplDocument.Parse(
                "ram: Memory.MappedMemory @ sysbus 0x0\n" +
                "    size: 0x100000\n" +
                "framepool: Miscellaneous.FramePoolDevice @ sysbus 0x200000\n" +
                "    ranges: \"ram@0x0+1M\"\n" +
                "    roundRobin: true\n"));

            Assert.That(board.Peripherals.Keys, Is.EquivalentTo(new[] { "framepool" }));
            Assert.That(board.Bus.ReadDoubleWord(0x200000), Is.EqualTo(0x46504F4Cu));
        }

        [TestCase("    nosuch: 1\n", "neither a constructor parameter nor a settable property", TestName = "unknown attribute")]
        [TestCase("    roundRobin: 1\n", "cannot be a Boolean", TestName = "wrong value kind")]
        [TestCase("    IRQ -> plic@1\n", "has no GPIO property 'IRQ'", TestName = "GPIO the class does not have")]
        public void RefusesWhatTheClassDoesNotHave(string extraLine, string expected)
        {
            var repl = ReplDocument.Parse(
                "framepool: Miscellaneous.FramePoolDevice @ sysbus 0x200000\n" +
                "    ranges: \"ram@0x0+1M\"\n" +
                extraLine);

            var error = Assert.Throws<InvalidOperationException>(() => new StandInBoard(repl));

            Assert.That(error.Message, Does.Contain(expected));
        }

        [Test]
        public void MapFindsOverlapsAndUnknownSizes()
        {
            var repl = ReplDocument.Parse(
                "a: Memory.MappedMemory @ sysbus 0x1000\n" +
                "    size: 0x2000\n" +
                "b: UART.NS16550 @ sysbus 0x2F00\n" +
                "c: Mystery.Device @ sysbus 0x9000\n");
            var map = new PlatformMap(new StandInBoard(repl), repl);

            Assert.That(map.Overlaps(), Has.Exactly(1).Items);
            Assert.That(map.Problems, Has.One.Contains("no size known for Mystery.Device"));
        }
    }
}
