using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Renode compiles `include`d sources itself (renode-infrastructure
    // src/Emulator/Main/Utilities/AdHocCompiler.cs): all files into one DLL, parsed as C# 9 with the
    // preprocessor symbol NET, Release, unsafe allowed. The repository's own builds use a newer
    // language version, so a C# 10+ construct in src/ would build here and break every user's
    // include. This test compiles the loader's file list the way Renode does, together with the
    // stand-in of Renode's types (whose own language level does not matter: only errors located
    // in plugin sources count).
    [TestFixture]
    public class PluginCompilationTests
    {
        [Test]
        public void PluginCompilesAsRenodeCompilesIt()
        {
            var pluginFiles = LoaderTests.LoaderSources();
            var standIn = Directory.EnumerateFiles(RepositoryLayout.Path("tests", "RenodeStandIn", "StandIn"), "*.cs", SearchOption.AllDirectories);
            var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp9).WithPreprocessorSymbols("NET");
            var trees = pluginFiles.Concat(standIn)
                .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), options, path))
                .ToList();
            var compilation = CSharpCompilation.Create("renode-framealloc-plugin", trees, PlatformReferences(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));

            var pluginPaths = new HashSet<string>(pluginFiles, StringComparer.Ordinal);
            var errors = compilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && pluginPaths.Contains(d.Location.SourceTree?.FilePath ?? string.Empty))
                .Select(d => d.ToString())
                .ToList();

            Assert.That(errors, Is.Empty);
        }

        [Test]
        public void TheCheckRejectsNewerLanguageFeatures()
        {
            // The same settings must reject what Renode's compiler rejects, e.g. a file-scoped namespace (C# 10).
            var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp9).WithPreprocessorSymbols("NET");
            var tree = CSharpSyntaxTree.ParseText("namespace A;\npublic class B { }\n", options, "probe.cs");
            var compilation = CSharpCompilation.Create("probe", new[] { tree }, PlatformReferences(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

            Assert.That(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id), Does.Contain("CS8773"));
        }

        // .NET 8's reference assemblies: newer ones resolve some calls to overloads whose use needs a
        // newer language version, which Renode on .NET 8 never sees.
        private static IEnumerable<MetadataReference> PlatformReferences()
        {
            return ReferenceAssemblies.Net8().Select(p => MetadataReference.CreateFromFile(p));
        }
    }
}
