using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace RenodeFrameAlloc.Bench
{
    // One side of a paired comparison: this benchmark assembly loaded once more, bound to the frame
    // allocator assembly in a given folder (a build of another commit, or this tree's own). Both
    // sides load the same benchmark code, so the bodies differ only by the allocator they call.
    // Everything else (BenchmarkDotNet, the framework) is shared with the default context.
    public sealed class SubjectLoadContext : AssemblyLoadContext
    {
        public const string AllocatorAssemblyName = "RenodeFrameAlloc.FrameAllocator";

        public SubjectLoadContext(string name, string allocatorFolder) : base(name, isCollectible: false)
        {
            allocatorPath = Path.GetFullPath(Path.Combine(allocatorFolder, AllocatorAssemblyName + ".dll"));
            if(!File.Exists(allocatorPath))
            {
                throw new FileNotFoundException($"{name}: no {AllocatorAssemblyName}.dll in {allocatorFolder}", allocatorPath);
            }
            benchPath = typeof(SubjectLoadContext).Assembly.Location;
        }

        public string AllocatorPath => allocatorPath;

        // The subject's entry point, PairedSubject.Create, as called inside this context.
        public Func<string, int, Func<int, ulong>> LoadSubject()
        {
            var bench = LoadFromAssemblyPath(benchPath);
            var create = bench.GetType(typeof(PairedSubject).FullName, throwOnError: true)
                .GetMethod(nameof(PairedSubject.Create), BindingFlags.Public | BindingFlags.Static);
            return create.CreateDelegate<Func<string, int, Func<int, ulong>>>();
        }

        protected override Assembly Load(AssemblyName assemblyName)
        {
            if(assemblyName.Name == AllocatorAssemblyName)
            {
                return LoadFromAssemblyPath(allocatorPath);
            }
            if(assemblyName.Name == typeof(SubjectLoadContext).Assembly.GetName().Name)
            {
                return LoadFromAssemblyPath(benchPath);
            }
            return null;
        }

        private readonly string allocatorPath;
        private readonly string benchPath;
    }
}
