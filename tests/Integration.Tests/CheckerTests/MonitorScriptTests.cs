using System.IO;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests.CheckerTests
{
    [TestFixture]
    public class MonitorScriptTests
    {
        [Test]
        public void ResolvesOriginAndAbsolutePathsOfFileReadingCommands()
        {
            var script = MonitorScript.Parse("/repo/platforms/board.resc",
                ":name: board\n" +
                "# comment $ORIGIN/not/a/reference.cs\n" +
                "include $ORIGIN/../src/a.cs $ORIGIN/../src/b.cs\n" +
                "mach create \"x\"\n" +
                "machine LoadPlatformDescription $ORIGIN/board.repl\n" +
                "sysbus LoadELF @/abs/fw.elf\n" +
                "showAnalyzer sysbus.uart0\n");

            Assert.That(script.Problems, Is.Empty);
            Assert.That(script.FileReferences.Select(r => r.ResolvedPath), Is.EqualTo(new[]
            {
                Path.GetFullPath("/repo/src/a.cs"), Path.GetFullPath("/repo/src/b.cs"),
                Path.GetFullPath("/repo/platforms/board.repl"), Path.GetFullPath("/abs/fw.elf")
            }));
        }

        [TestCase("include @scripts/x.resc", "installation", TestName = "path relative to Renode")]
        [TestCase("sysbus LoadELF @https://example.invalid/fw.elf", "download", TestName = "download")]
        [TestCase("include $CWD/x.resc", "working directory", TestName = "working-directory path")]
        [TestCase("emulation SomethingNew $ORIGIN/file.bin", "not a command this checker knows", TestName = "unknown command with a path")]
        [TestCase("include", "without a file", TestName = "include without a file")]
        [TestCase("echo \"unterminated", "unterminated", TestName = "unterminated string")]
        public void ReportsWhatCannotBeChecked(string line, string expected)
        {
            var script = MonitorScript.Parse("/repo/x.resc", line);

            Assert.That(script.Problems, Has.One.Contains(expected));
        }
    }
}
