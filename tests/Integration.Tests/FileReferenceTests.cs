using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Every file a .resc, .repl or .robot of this repository refers to must exist: Renode and
    // renode-test are not here to find out, and a missing file only shows up on a user's machine.
    [TestFixture]
    public class FileReferenceTests
    {
        public static IEnumerable<string> Scripts()
        {
            return Find("*.resc");
        }

        public static IEnumerable<string> PlatformDescriptions()
        {
            return Find("*.repl");
        }

        public static IEnumerable<string> RobotSuites()
        {
            return Directory.Exists(RepositoryLayout.RobotDirectory)
                ? Directory.EnumerateFiles(RepositoryLayout.RobotDirectory, "*.robot").OrderBy(p => p).Select(RepositoryLayout.Relative)
                : Enumerable.Empty<string>();
        }

        [TestCaseSource(nameof(Scripts))]
        public void ScriptReferencesExist(string script)
        {
            var parsed = MonitorScript.Load(RepositoryLayout.Path(script));

            Assert.That(parsed.Problems, Is.Empty);
            Assert.That(parsed.FileReferences.Where(r => !File.Exists(r.ResolvedPath)).Select(r => r.ToString()), Is.Empty);
        }

        [TestCaseSource(nameof(PlatformDescriptions))]
        public void PlatformDescriptionParsesAndItsUsingsExist(string description)
        {
            var path = RepositoryLayout.Path(description);
            var parsed = ReplDocument.Load(path);

            Assert.That(parsed.Entries, Is.Not.Empty);
            foreach(var usingLine in parsed.Usings)
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path), usingLine.Path));
                Assert.That(File.Exists(target), Is.True, $"{description}:{usingLine.Line}: using \"{usingLine.Path}\" does not exist");
            }
        }

        [TestCaseSource(nameof(RobotSuites))]
        public void RobotSuiteReferencesExist(string suite)
        {
            var checker = new RobotSuiteChecker(RepositoryLayout.Path(suite));

            Assert.That(checker.CheckFiles(), Is.Empty);
        }

        [TestCaseSource(nameof(RobotSuites))]
        public void RobotSuiteLoadsThePlugin(string suite)
        {
            // Through its own steps or a resource: the loader, or the platform script that includes it.
            var checker = new RobotSuiteChecker(RepositoryLayout.Path(suite));
            var referenced = checker.Files.SelectMany(f => f.FileReferences).Select(r => r.ResolvedPath).ToList();

            Assert.That(referenced, Has.Some.EqualTo(RepositoryLayout.Loader).Or.Some.EqualTo(RepositoryLayout.PlatformScript));
        }

        [Test]
        public void TheIntegrationFilesAreThere()
        {
            // The sources above must not be empty: they are what these tests walk.
            Assert.That(Scripts(), Does.Contain("renode-framealloc/framealloc.resc").And.Contain("platforms/framealloc-riscv64.resc"));
            Assert.That(PlatformDescriptions(), Does.Contain("platforms/framealloc-riscv64.repl"));
            Assert.That(RobotSuites().Count(), Is.GreaterThanOrEqualTo(4));
        }

        private static IEnumerable<string> Find(string pattern)
        {
            var result = new List<string>();
            foreach(var directory in new[] { "renode-framealloc", "platforms", "robot-tests" })
            {
                var path = RepositoryLayout.Path(directory);
                if(Directory.Exists(path))
                {
                    result.AddRange(Directory.EnumerateFiles(path, pattern, SearchOption.AllDirectories)
                        .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                        .Select(RepositoryLayout.Relative));
                }
            }
            return result.OrderBy(p => p);
        }
    }
}
