using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Renode 1.16.1 compiles `include`d sources itself, as C# 12 (RenodeAdHocCompilation says how
    // exactly). The repository's own builds could differ in language version, symbols or options,
    // so a construct Renode rejects would build here and break every user's include. These tests
    // compile the loader's file list the way Renode does: against the stand-in of Renode's types
    // always, and against a real Renode build's own assemblies when one is at hand.
    [TestFixture]
    public class PluginCompilationTests
    {
        [Test]
        public void PluginCompilesAsRenodeCompilesItAgainstTheStandIn()
        {
            var failures = RenodeAdHocCompilation.Compile(LoaderTests.LoaderSources().Concat(StandInSources(withTestDoubles: true)), PlatformReferences());

            Assert.That(failures, Is.Empty, RenodeAdHocCompilation.Format(failures));
        }

        // The real check: the loader's files against the assemblies of a Renode build, as its
        // `include` compiles them. Ignored (not passed) where no Renode is at hand; see RenodeBuild
        // for where it looks (RENODE_PATH, or renode on PATH).
        [Test]
        public void PluginCompilesAgainstRenodesOwnAssemblies()
        {
            if(!RenodeBuild.TryLocate(out var renode, out var where))
            {
                Assert.Ignore($"No Renode build at hand ({where}): the plugin was not compiled against Renode's own assemblies.");
            }
            var references = renode.References(out var runtime);
            TestContext.Out.WriteLine($"Renode assemblies: {renode.AssemblyDirectory} ({where}); .NET: {runtime}; {references.Count} references");

            var failures = RenodeAdHocCompilation.Compile(LoaderTests.LoaderSources(), references);

            Assert.That(failures, Is.Empty, $"Renode in {renode.AssemblyDirectory} would refuse `include @renode-framealloc/framealloc.resc`:{System.Environment.NewLine}{RenodeAdHocCompilation.Format(failures)}");
        }

        [Test]
        public void TheCheckAcceptsCSharp12()
        {
            // Guards against a check that is stricter than Renode: a primary constructor and a
            // collection expression are C# 12.
            var failures = CompileProbe("public class B(int[] a) { public int[] C = [1, 2]; public int[] A => a; }\n");

            Assert.That(failures, Is.Empty, RenodeAdHocCompilation.Format(failures));
        }

        [Test]
        public void TheCheckRejectsCSharp13()
        {
            // A params collection is C# 13: Renode's compiler refuses it, and so must this check.
            var failures = CompileProbe("public class B { public int C(params System.ReadOnlySpan<int> a) { return a.Length; } }\n");

            Assert.That(failures.Select(d => d.Id), Does.Contain(FeatureNeedsNewerLanguage));
        }

        private static IReadOnlyList<Diagnostic> CompileProbe(string source)
        {
            var tree = SyntaxFactory.ParseSyntaxTree(source, RenodeAdHocCompilation.ParseOptions, "probe.cs");
            return RenodeAdHocCompilation.Compile(new[] { tree }, PlatformReferences());
        }

        // The stand-in's files: its Renode and Migrant types, and its test doubles if asked (with the
        // test RAM they run on, as tests/RenodeStandIn/RenodeStandIn.csproj compiles them).
        internal static IEnumerable<string> StandInSources(bool withTestDoubles)
        {
            var root = RepositoryLayout.Path("tests", "RenodeStandIn", "StandIn");
            var testDoubles = Path.Combine(root, "Testing") + Path.DirectorySeparatorChar;
            var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(path => withTestDoubles || !path.StartsWith(testDoubles, System.StringComparison.Ordinal));
            if(withTestDoubles)
            {
                files = files.Append(RepositoryLayout.Path("src", "BusDma", "Memory", "PhysicalRam.cs"));
            }
            return files.OrderBy(path => path, System.StringComparer.Ordinal);
        }

        // .NET 8's reference assemblies: newer ones resolve some calls to overloads whose use needs a
        // newer language version, which Renode on .NET 8 never sees.
        internal static IEnumerable<MetadataReference> PlatformReferences()
        {
            return ReferenceAssemblies.Net8().Select(p => MetadataReference.CreateFromFile(p));
        }

        private const string FeatureNeedsNewerLanguage = "CS9202";
    }
}
