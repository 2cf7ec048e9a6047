using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The stand-in was once written from a stale copy of Renode and CI passed while Renode refused
    // the plugin. Where a Renode build is at hand, this compares every stand-in type and member
    // with Renode's own (StandInComparison says how); ignored (not passed) otherwise.
    [TestFixture]
    public class StandInFidelityTests
    {
        [Test]
        public void StandInTypesHaveRenodesSignatures()
        {
            if(!RenodeBuild.TryLocate(out var renode, out var where))
            {
                Assert.Ignore($"No Renode build at hand ({where}): the stand-in was not compared with Renode's assemblies.");
            }
            var pluginFiles = new HashSet<string>(LoaderTests.LoaderSources(), StringComparer.Ordinal);
            var trees = pluginFiles.Concat(PluginCompilationTests.StandInSources(withTestDoubles: false))
                .Select(path => SyntaxFactory.ParseSyntaxTree(File.ReadAllText(path), RenodeAdHocCompilation.ParseOptions, path))
                .ToList();
            var standIn = CSharpCompilation.Create("stand-in", trees, PluginCompilationTests.PlatformReferences(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var real = CSharpCompilation.Create("renode", references: renode.References(out _),
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, assemblyIdentityComparer: DesktopAssemblyIdentityComparer.Default)
                    .WithMetadataImportOptions(MetadataImportOptions.All));
            var standInTypes = StandInComparison.RenodeTypes(standIn.Assembly.GlobalNamespace)
                .Where(t => t.DeclaringSyntaxReferences.Any(r => !pluginFiles.Contains(r.SyntaxTree.FilePath)))
                .ToList();
            // Interfaces a plugin type implements itself (those a Renode base class implements,
            // Renode implements).
            var implementedByPlugin = StandInComparison.RenodeTypes(standIn.Assembly.GlobalNamespace)
                .Where(t => t.DeclaringSyntaxReferences.Any(r => pluginFiles.Contains(r.SyntaxTree.FilePath)))
                .SelectMany(t => t.AllInterfaces.Except(t.BaseType?.AllInterfaces ?? Enumerable.Empty<INamedTypeSymbol>(), SymbolEqualityComparer.Default))
                .OfType<INamedTypeSymbol>()
                .Where(i => standInTypes.Contains(i.OriginalDefinition, SymbolEqualityComparer.Default))
                .Select(i => i.OriginalDefinition)
                .ToList();

            var differences = StandInComparison.Differences(standInTypes, real, implementedByPlugin);

            TestContext.Out.WriteLine($"Compared {standInTypes.Count} stand-in types with {renode.AssemblyDirectory} ({where}); the plugin implements {string.Join(", ", implementedByPlugin.Select(StandInComparison.MetadataName).Distinct())}");
            Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
        }
    }
}
