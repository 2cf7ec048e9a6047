using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests.CheckerTests
{
    // The .repl reader the platform checks stand on: it reads every form the platform uses and
    // refuses, with the line number, what it does not understand.
    [TestFixture]
    public class ReplDocumentTests
    {
        [Test]
        public void ReadsRegistrationsAttributesAndConnections()
        {
            var document = ReplDocument.Parse(
                "// a comment\n" +
                "cpu: CPU.RiscV64 @ sysbus\n" +
                "    cpuType: \"rv64gc\" // trailing comment\n" +
                "    hartId: 0\n" +
                "    timeProvider: clint\n" +
                "    privilegedArchitecture: PrivilegedArchitecture.Priv1_10\n" +
                "/* a block\n   comment */\n" +
                "mem: Memory.MappedMemory @sysbus 0x100000000\n" +
                "    size: 0x10000\n" +
                "dev: Some.Device @ sysbus <0x1000, +0x200>\n" +
                "    name: \"a//b\"\n" +
                "    enabled: true\n" +
                "    IRQ -> plic@3\n" +
                "    [0, 1] -> cpu@[3, 7]\n" +
                "    [2-4] -> plic@[10-12]\n");

            var cpu = document.Get("cpu");
            Assert.That(cpu.Registration.Parent, Is.EqualTo("sysbus"));
            Assert.That(cpu.Registration.Address, Is.Null);
            Assert.That(cpu.Attribute("cpuType").Text, Is.EqualTo("rv64gc"));
            Assert.That(cpu.Attribute("hartId").AsNumber, Is.EqualTo(0));
            Assert.That(cpu.Attribute("timeProvider").Kind, Is.EqualTo(ReplValueKind.Reference));
            Assert.That(cpu.Attribute("privilegedArchitecture").Kind, Is.EqualTo(ReplValueKind.EnumMember));

            var memory = document.Get("mem");
            Assert.That(memory.Registration.Address, Is.EqualTo(0x100000000UL));
            Assert.That(memory.Attribute("size").AsUnsigned, Is.EqualTo(0x10000UL));

            var device = document.Get("dev");
            Assert.That(device.Registration.Address, Is.EqualTo(0x1000UL));
            Assert.That(device.Registration.ExplicitSize, Is.EqualTo(0x200UL));
            Assert.That(device.Attribute("name").Text, Is.EqualTo("a//b"), "// inside a string is not a comment");
            Assert.That(device.Attribute("enabled").AsBoolean, Is.True);
            Assert.That(device.Connections.Select(c => (c.SourceName, c.SourceNumber, c.Target, c.TargetNumber)), Is.EqualTo(new (string, int?, string, int)[]
            {
                ("IRQ", null, "plic", 3),
                (null, 0, "cpu", 3), (null, 1, "cpu", 7),
                (null, 2, "plic", 10), (null, 3, "plic", 11), (null, 4, "plic", 12),
            }));
        }

        [TestCase("dev: Some.Device @ sysbus 0x1000 { size: 4 }", 1, TestName = "inline block")]
        [TestCase("dev: Some.Device @ sysbus 0x1000\n    init:\n        Tag <0x0 0x4> \"x\" 0", 2, TestName = "init section")]
        [TestCase("dev: Some.Device @ sysbus 0xZZ", 1, TestName = "bad address")]
        [TestCase("    size: 4", 1, TestName = "attribute before any peripheral")]
        [TestCase("dev: Some.Device @ sysbus 0x1000\n    [0, 1] -> plic@[3]", 2, TestName = "list length mismatch")]
        [TestCase("dev: Some.Device @ sysbus 0x1000\n    size: 4\n    size: 8", 3, TestName = "attribute twice")]
        [TestCase("dev: A.B @ sysbus 0x0\ndev: A.B @ sysbus 0x10", 2, TestName = "peripheral twice")]
        [TestCase("dev: A.B @ sysbus 0x0\n    value: 1 2", 2, TestName = "unreadable value")]
        public void RefusesWhatItCannotRead(string text, int line)
        {
            var error = Assert.Throws<ReplSyntaxException>(() => ReplDocument.Parse(text));

            Assert.That(error.Line, Is.EqualTo(line));
        }
    }
}
