using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace RenodeFrameAlloc.Integration.Tests
{
    // What Renode 1.16.1 does with `include @a.cs @b.cs ...` (renode-infrastructure 0c7d076,
    // src/Emulator/Main/Utilities/AdHocCompiler.cs, called from Monitor.TryCompilationImport):
    // every file parsed with CSharpParseOptions.Default.WithLanguageVersion(CSharp12) (no
    // preprocessor symbols) through SyntaxFactory.ParseSyntaxTree(SourceText.From(text), options,
    // path), compiled into one DLL with OptimizationLevel.Release, allowUnsafe and
    // DesktopAssemblyIdentityComparer.Default, emitted, and failed on every diagnostic that is an
    // error or a warning-as-error. The references are the caller's: Renode passes
    // System.Private.CoreLib and every assembly loaded in its process (AssemblyHelper).
    public static class RenodeAdHocCompilation
    {
        public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.CSharp12);

        // The failures Renode reports for these sources, in its order (an empty list: it loads them).
        public static IReadOnlyList<Diagnostic> Compile(IEnumerable<string> sourcePaths, IEnumerable<MetadataReference> references)
        {
            var parsedSyntaxTrees = new List<SyntaxTree>();
            foreach(var sourcePath in sourcePaths)
            {
                var codeString = SourceText.From(File.ReadAllText(sourcePath));
                parsedSyntaxTrees.Add(SyntaxFactory.ParseSyntaxTree(codeString, ParseOptions, sourcePath));
            }
            return Compile(parsedSyntaxTrees, references);
        }

        public static IReadOnlyList<Diagnostic> Compile(IEnumerable<SyntaxTree> syntaxTrees, IEnumerable<MetadataReference> references)
        {
            var compilation = CSharpCompilation.Create("renode-framealloc-plugin.dll",
                syntaxTrees: syntaxTrees,
                references: references,
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: OptimizationLevel.Release,
                    allowUnsafe: true,
                    assemblyIdentityComparer: DesktopAssemblyIdentityComparer.Default));
            using(var output = new MemoryStream())
            {
                var result = compilation.Emit(output);
                return result.Diagnostics
                    .Where(diagnostic => diagnostic.IsWarningAsError || diagnostic.Severity == DiagnosticSeverity.Error)
                    .ToList();
            }
        }

        // As Renode prints them: one diagnostic a line, with file, position and id.
        public static string Format(IEnumerable<Diagnostic> diagnostics)
        {
            return string.Join(Environment.NewLine, diagnostics);
        }
    }
}
