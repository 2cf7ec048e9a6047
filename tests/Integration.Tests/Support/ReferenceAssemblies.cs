using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The .NET 8 reference assemblies (Microsoft.NETCore.App.Ref 8.x, ref/net8.0), the API surface
    // Renode's .NET build compiles plugins against. Restore brings them for tests/RenodeStandIn
    // (net8.0); they are looked for in the NuGet package folder and in the .NET installation's packs.
    public static class ReferenceAssemblies
    {
        public static IReadOnlyList<string> Net8()
        {
            foreach(var root in CandidateRoots())
            {
                var pack = Path.Combine(root, PackFolder(root));
                if(!Directory.Exists(pack))
                {
                    continue;
                }
                var newest = Directory.EnumerateDirectories(pack, "8.*")
                    .Select(d => Path.Combine(d, "ref", "net8.0"))
                    .Where(Directory.Exists)
                    .OrderByDescending(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))), out var v) ? v : new Version(0, 0))
                    .FirstOrDefault();
                if(newest != null)
                {
                    return Directory.EnumerateFiles(newest, "*.dll").ToList();
                }
            }
            throw new InvalidOperationException("No .NET 8 reference assemblies (Microsoft.NETCore.App.Ref 8.x) found; build tests/RenodeStandIn first (it targets net8.0)");
        }

        private static IEnumerable<string> CandidateRoots()
        {
            var fromBuild = typeof(ReferenceAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
            if(!string.IsNullOrEmpty(fromBuild))
            {
                yield return fromBuild;
            }
            var fromEnvironment = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if(!string.IsNullOrEmpty(fromEnvironment))
            {
                yield return fromEnvironment;
            }
            yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            // <dotnet root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <dotnet root>/packs
            var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
            var dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
            yield return Path.Combine(dotnetRoot, "packs");
        }

        // The NuGet cache lower-cases package ids; the installation's packs folder does not.
        private static string PackFolder(string root)
        {
            return root.EndsWith("packs", StringComparison.Ordinal) || root.EndsWith("packs" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                ? "Microsoft.NETCore.App.Ref"
                : "microsoft.netcore.app.ref";
        }
    }
}
