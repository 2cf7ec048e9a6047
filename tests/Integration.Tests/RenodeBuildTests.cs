using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Where PluginCompilesAgainstRenodesOwnAssemblies finds a Renode build, and what it references.
    [TestFixture]
    public class RenodeBuildTests
    {
        [SetUp]
        public void SetUp()
        {
            root = Directory.CreateTempSubdirectory("renode-build-tests").FullName;
        }

        [TearDown]
        public void TearDown()
        {
            Directory.Delete(root, recursive: true);
        }

        [Test]
        public void NothingSetAndNoRenodeOnPathIsNotFound()
        {
            Assert.That(RenodeBuild.TryLocate(null, root, out var build, out var where), Is.False);
            Assert.That(build, Is.Null);
            Assert.That(where, Does.Contain("RENODE_PATH"));
        }

        [Test]
        public void RenodePathWithoutRenodesAssembliesIsAnErrorNotASkip()
        {
            Assert.Throws<InvalidOperationException>(() => RenodeBuild.TryLocate(root, null, out _, out _));
        }

        [Test]
        public void RenodePathMayNameACheckout()
        {
            var output = Directory.CreateDirectory(Path.Combine(root, "output", "bin", "Release")).FullName;
            File.WriteAllText(Path.Combine(output, "Infrastructure.dll"), "");

            Assert.That(RenodeBuild.TryLocate(root, null, out var build, out _), Is.True);
            Assert.That(build.AssemblyDirectory, Is.EqualTo(output));
        }

        [Test]
        public void RenodeOnPathIsFollowedThroughAWrapperScript()
        {
            var checkout = Path.Combine(root, "checkout");
            var output = Directory.CreateDirectory(Path.Combine(checkout, "output", "bin", "Release")).FullName;
            File.WriteAllText(Path.Combine(output, "Infrastructure.dll"), "");
            File.WriteAllText(Path.Combine(checkout, "renode"), "#!/usr/bin/env bash\n");
            var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            File.WriteAllText(Path.Combine(bin, "renode"), $"#!/usr/bin/env bash\nexport X=1\nexec {Path.Combine(checkout, "renode")} \"$@\"\n");

            Assert.That(RenodeBuild.TryLocate(null, bin, out var build, out var where), Is.True, where);
            Assert.That(build.AssemblyDirectory, Is.EqualTo(output));
        }

        [Test]
        public void RenodeOnPathWithoutAssembliesIsNotFound()
        {
            var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            File.WriteAllText(Path.Combine(bin, "renode"), "#!/usr/bin/env bash\necho no renode here\n");

            Assert.That(RenodeBuild.TryLocate(null, bin, out _, out var where), Is.False);
            Assert.That(where, Does.Contain("no Infrastructure.dll"));
        }

        [Test]
        public void ReferencesAreTheManagedAssembliesPlusDotNet()
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, "renode")).FullName;
            File.Copy(typeof(Assert).Assembly.Location, Path.Combine(directory, "Infrastructure.dll"));
            File.WriteAllBytes(Path.Combine(directory, "libnative.dll"), new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 0, 0, 0, 0 });
            RenodeBuild.TryLocate(directory, null, out var build, out _);

            var references = build.References(out var runtime).Select(r => Path.GetFileName(r.Display)).ToList();

            Assert.That(references, Does.Contain("Infrastructure.dll"));
            Assert.That(references, Does.Not.Contain("libnative.dll"), "native libraries are not references");
            Assert.That(references, Does.Contain("System.Runtime.dll"), runtime);
            Assert.That(references.Count(r => r == "System.Runtime.dll"), Is.EqualTo(1));
        }

        private string root;
    }
}
