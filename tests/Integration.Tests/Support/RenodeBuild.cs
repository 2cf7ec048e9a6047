using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace RenodeFrameAlloc.Integration.Tests
{
    // A Renode build on this machine, to compile the plugin against Renode's own assemblies:
    // the directory in RENODE_PATH, else the directory of `renode` found on PATH (following
    // symbolic links, and a wrapper script to the launcher it names). Either may be the directory
    // that holds Renode's assemblies (Infrastructure.dll, Renode.dll, ...) or a Renode checkout or
    // package above it (output/bin/Release[/net8.0], bin).
    public sealed class RenodeBuild
    {
        // false when no Renode is at hand (RENODE_PATH unset and no `renode` on PATH); where says
        // what was looked at. Throws when RENODE_PATH is set but holds no Renode assemblies: a
        // check the user asked for must not be skipped quietly.
        public static bool TryLocate(out RenodeBuild build, out string where)
        {
            return TryLocate(Environment.GetEnvironmentVariable(PathVariable), Environment.GetEnvironmentVariable("PATH"), out build, out where);
        }

        // The same, for a given RENODE_PATH value (null or empty: unset) and PATH value.
        public static bool TryLocate(string renodePath, string searchPath, out RenodeBuild build, out string where)
        {
            build = null;
            if(!string.IsNullOrEmpty(renodePath))
            {
                var directory = FindAssemblyDirectory(renodePath);
                if(directory == null)
                {
                    throw new InvalidOperationException($"{PathVariable}={renodePath} holds no {MarkerAssembly} (looked in {string.Join(", ", CandidateSubdirectories.Select(s => Path.GetFullPath(Path.Combine(renodePath, s))))})");
                }
                build = new RenodeBuild(directory);
                where = $"{PathVariable}={renodePath}";
                return true;
            }
            var launcher = FindOnPath("renode", searchPath ?? string.Empty);
            if(launcher == null)
            {
                where = $"{PathVariable} is not set and there is no renode on PATH";
                return false;
            }
            var resolved = ResolveLinks(launcher);
            var found = FindBesideLauncher(resolved, WrapperDepth);
            if(found == null)
            {
                where = $"renode on PATH ({resolved}) has no {MarkerAssembly} beside it";
                return false;
            }
            build = new RenodeBuild(found);
            where = $"renode on PATH ({resolved})";
            return true;
        }

        // Renode's assemblies plus the .NET ones its process would have loaded, one per simple
        // name (the higher version where both have one, as the host resolves it), and which .NET
        // assemblies those are.
        public IReadOnlyList<MetadataReference> References(out string runtimeDescription)
        {
            var byName = new Dictionary<string, (string Path, Version Version)>(StringComparer.OrdinalIgnoreCase);
            foreach(var path in RuntimeAssemblies(out runtimeDescription).Concat(ManagedAssemblies(AssemblyDirectory)))
            {
                var identity = ReadIdentity(path);
                if(identity == null)
                {
                    continue;
                }
                if(!byName.TryGetValue(identity.Value.Name, out var existing) || identity.Value.Version > existing.Version)
                {
                    byName[identity.Value.Name] = (path, identity.Value.Version);
                }
            }
            return byName.Values.Select(v => (MetadataReference)MetadataReference.CreateFromFile(v.Path)).ToList();
        }

        public string AssemblyDirectory { get; }

        public const string PathVariable = "RENODE_PATH";

        private RenodeBuild(string assemblyDirectory)
        {
            AssemblyDirectory = assemblyDirectory;
        }

        // A self-contained Renode carries its runtime; otherwise the shared .NET runtime of the
        // major version its runtimeconfig names, else .NET 8's reference assemblies (the API
        // surface Renode 1.16.1 targets).
        private IEnumerable<string> RuntimeAssemblies(out string description)
        {
            if(File.Exists(Path.Combine(AssemblyDirectory, "System.Private.CoreLib.dll")))
            {
                description = $"the .NET runtime bundled in {AssemblyDirectory}";
                return Enumerable.Empty<string>();
            }
            var major = RuntimeMajorVersion();
            var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
            var shared = Path.GetDirectoryName(runtime);
            var match = Directory.EnumerateDirectories(shared, $"{major}.*")
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
                .FirstOrDefault();
            if(match != null)
            {
                description = $"the shared .NET runtime in {match}";
                return ManagedAssemblies(match);
            }
            var references = ReferenceAssemblies.Net8();
            description = $".NET 8 reference assemblies in {Path.GetDirectoryName(references[0])} (no .NET {major} runtime here)";
            return references;
        }

        private int RuntimeMajorVersion()
        {
            foreach(var config in Directory.EnumerateFiles(AssemblyDirectory, "*.runtimeconfig.json"))
            {
                try
                {
                    using(var document = JsonDocument.Parse(File.ReadAllText(config)))
                    {
                        var options = document.RootElement.GetProperty("runtimeOptions");
                        var frameworks = options.TryGetProperty("frameworks", out var list) ? list.EnumerateArray().ToArray()
                            : new[] { options.GetProperty("framework") };
                        foreach(var framework in frameworks)
                        {
                            if(framework.GetProperty("name").GetString() == "Microsoft.NETCore.App"
                                && Version.TryParse(framework.GetProperty("version").GetString(), out var version))
                            {
                                return version.Major;
                            }
                        }
                    }
                }
                catch(Exception e) when(e is JsonException || e is KeyNotFoundException || e is InvalidOperationException)
                {
                    // Not a runtimeconfig we understand; try the next one.
                }
            }
            return DefaultRuntimeMajorVersion;
        }

        private static IEnumerable<string> ManagedAssemblies(string directory)
        {
            return Directory.EnumerateFiles(directory, "*.dll").Where(p => ReadIdentity(p) != null).OrderBy(p => p, StringComparer.Ordinal);
        }

        // Name and version of a managed assembly; null for a native library or anything unreadable.
        private static (string Name, Version Version)? ReadIdentity(string path)
        {
            try
            {
                using(var stream = File.OpenRead(path))
                using(var reader = new PEReader(stream))
                {
                    if(!reader.HasMetadata)
                    {
                        return null;
                    }
                    var metadata = reader.GetMetadataReader();
                    if(!metadata.IsAssembly)
                    {
                        return null;
                    }
                    var definition = metadata.GetAssemblyDefinition();
                    return (metadata.GetString(definition.Name), definition.Version);
                }
            }
            catch(Exception e) when(e is BadImageFormatException || e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static string FindAssemblyDirectory(string root)
        {
            foreach(var subdirectory in CandidateSubdirectories)
            {
                var candidate = Path.GetFullPath(Path.Combine(root, subdirectory));
                if(File.Exists(Path.Combine(candidate, MarkerAssembly)))
                {
                    return candidate;
                }
            }
            return null;
        }

        // Beside the launcher, or, for a wrapper script that runs another launcher (as a local
        // build's bin/renode may), beside an absolute path the script names.
        private static string FindBesideLauncher(string launcher, int depth)
        {
            var found = FindAssemblyDirectory(Path.GetDirectoryName(launcher));
            if(found != null || depth == 0 || new FileInfo(launcher).Length > MaxWrapperLength)
            {
                return found;
            }
            string text;
            try
            {
                text = File.ReadAllText(launcher);
            }
            catch(IOException)
            {
                return null;
            }
            if(!text.StartsWith("#!", StringComparison.Ordinal))
            {
                return null;
            }
            foreach(Match match in Regex.Matches(text, @"(?<![\w$}])/[^\s""'`;|&<>()$]+"))
            {
                var named = match.Value;
                if(File.Exists(named) && !string.Equals(ResolveLinks(named), launcher, StringComparison.Ordinal))
                {
                    found = FindBesideLauncher(ResolveLinks(named), depth - 1);
                }
                else if(Directory.Exists(named))
                {
                    found = FindAssemblyDirectory(named);
                }
                if(found != null)
                {
                    return found;
                }
            }
            return null;
        }

        private static string FindOnPath(string name, string path)
        {
            foreach(var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if(File.Exists(candidate))
                {
                    return candidate;
                }
            }
            return null;
        }

        private static string ResolveLinks(string path)
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(path);
        }

        private const string MarkerAssembly = "Infrastructure.dll";
        private const int WrapperDepth = 2;
        private const long MaxWrapperLength = 64 * 1024;
        private const int DefaultRuntimeMajorVersion = 8;

        private static readonly string[] CandidateSubdirectories =
        {
            ".",
            "bin",
            Path.Combine("output", "bin", "Release"),
            Path.Combine("output", "bin", "Release", "net8.0"),
            Path.Combine("output", "bin", "Debug"),
            Path.Combine("output", "bin", "Debug", "net8.0"),
        };
    }
}
