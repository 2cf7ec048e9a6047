using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests
{
    // renode-framealloc/framealloc.resc is what a user includes: one `include` of every source of
    // what runs inside Renode (src/FrameAllocator, src/Devices, src/BusDma for the DMA checker,
    // src/Peripherals), which Renode compiles into one assembly. A file there missing from it
    // means a type Renode never sees; a listed file that is gone means the include fails; the test
    // RAM (src/BusDma/Memory) does not run in Renode and must not be loaded.
    [TestFixture]
    public class LoaderTests
    {
        [Test]
        public void LoaderHasExactlyOneIncludeAndNothingElse()
        {
            var script = MonitorScript.Load(RepositoryLayout.Loader);

            Assert.That(script.Problems, Is.Empty);
            Assert.That(script.Commands.Select(c => c.Tokens[0]), Is.EqualTo(new[] { "include" }),
                "the loader should only include the plugin sources (a machine is the platform script's business)");
        }

        [Test]
        public void LoaderListsEveryPluginSourceExactlyOnce()
        {
            var listed = LoaderSources();
            var onDisk = PluginSources();

            Assert.That(listed.Length, Is.EqualTo(listed.Distinct().Count()), "a file listed twice");
            Assert.That(listed.Except(onDisk), Is.Empty, "listed but not a plugin source under src/ (deleted or moved?): run renode-framealloc/update-loader.sh");
            Assert.That(onDisk.Except(listed), Is.Empty, "plugin sources Renode would not compile: run renode-framealloc/update-loader.sh");
        }

        [Test]
        public void LoaderListsOnlyCSharpSourcesThatExist()
        {
            foreach(var path in LoaderSources())
            {
                Assert.That(path, Does.EndWith(".cs"), "Renode's include takes files of one kind at a time");
                Assert.That(File.Exists(path), Is.True, $"{path} is listed but does not exist");
            }
        }

        [Test]
        public void PluginHasSourcesToLoad()
        {
            // Guards the two tests above against passing on an empty src/ or an empty include.
            Assert.That(PluginSources().Length, Is.GreaterThan(10));
            Assert.That(PluginSources(), Has.Some.EndsWith("FramePoolDevice.cs"));
        }

        internal static string[] LoaderSources()
        {
            var script = MonitorScript.Load(RepositoryLayout.Loader);
            return script.FileReferences.Select(r => Path.GetFullPath(r.ResolvedPath)).ToArray();
        }

        [Test]
        public void LoaderLeavesOutWhatDoesNotRunInRenode()
        {
            var testRam = RepositoryLayout.Path("src", "BusDma", "Memory") + Path.DirectorySeparatorChar;

            Assert.That(LoaderSources().Where(p => p.StartsWith(Path.GetFullPath(testRam), StringComparison.Ordinal)), Is.Empty);
            Assert.That(LoaderSources(), Has.Some.EndsWith("DmaChecker.cs"), "the DMA checker runs in Renode");
        }

        // Every *.cs under the folders that run in Renode, except build output: the set Renode must compile.
        internal static string[] PluginSources()
        {
            var source = RepositoryLayout.Path("src");
            var testRam = Path.GetFullPath(Path.Combine(source, "BusDma", "Memory")) + Path.DirectorySeparatorChar;
            return PluginFolders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(source, folder), "*.cs", SearchOption.AllDirectories))
                .Where(p => !IsBuildOutput(source, p) && !Path.GetFullPath(p).StartsWith(testRam, StringComparison.Ordinal))
                .Select(Path.GetFullPath)
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToArray();
        }

        private static readonly string[] PluginFolders = { "FrameAllocator", "Devices", "BusDma", "Peripherals" };

        private static bool IsBuildOutput(string root, string path)
        {
            var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return parts.Contains("obj") || parts.Contains("bin");
        }
    }
}
