using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace RenodeFrameAlloc.Bench.Paired
{
    // One build of a benchmark project (its .dll, with its .deps.json beside it) loaded in a context
    // of its own, its dependencies resolved from its own folder: two builds of one project, even of
    // two commits whose types were renamed, load side by side. Benchmarks are found by class and
    // method name and set up as BenchmarkDotNet does (parameters, [GlobalSetup]); attributes are
    // matched by name, since each build brings its own BenchmarkDotNet.
    public sealed class BenchmarkBuild : AssemblyLoadContext
    {
        public BenchmarkBuild(string name, string assemblyPath) : base(name, isCollectible: false)
        {
            Path = System.IO.Path.GetFullPath(assemblyPath);
            if(!File.Exists(Path))
            {
                throw new FileNotFoundException($"{name}: no benchmark assembly at {Path}", Path);
            }
            resolver = new AssemblyDependencyResolver(Path);
            assembly = LoadFromAssemblyPath(Path);
        }

        public string Path { get; }

        // A fresh instance of class `type` with the parameters set and its global setup run, and a
        // runner: run(n) calls `method` n times and returns a digest of what the calls returned (0
        // for a void method; ulong and bool results are digested). operationsPerInvoke: the method's OperationsPerInvoke.
        public Func<int, ulong> Create(string type, string method, IReadOnlyDictionary<string, string> parameters, out int operationsPerInvoke)
        {
            var benchmarkType = assembly.GetTypes().SingleOrDefault(t => t.Name == type)
                ?? throw new ArgumentException($"{Name}: no class {type} in {Path}");
            var benchmark = benchmarkType.GetMethod(method, Type.EmptyTypes)
                ?? throw new ArgumentException($"{Name}: no method {type}.{method}()");
            var attribute = Attribute(benchmark, "BenchmarkAttribute")
                ?? throw new ArgumentException($"{Name}: {type}.{method} is not a [Benchmark]");
            operationsPerInvoke = (int?)NamedArgument(attribute, "OperationsPerInvoke") ?? 1;
            var instance = Activator.CreateInstance(benchmarkType);
            foreach(var parameter in parameters)
            {
                SetParameter(benchmarkType, instance, parameter.Key, parameter.Value);
            }
            foreach(var setup in benchmarkType.GetMethods().Where(m => Targets(m, method)))
            {
                setup.Invoke(instance, null);
            }
            if(benchmark.ReturnType == typeof(void))
            {
                var action = benchmark.CreateDelegate<Action>(instance);
                return n =>
                {
                    for(var i = 0; i < n; i++)
                    {
                        action();
                    }
                    return 0;
                };
            }
            if(benchmark.ReturnType == typeof(ulong))
            {
                var function = benchmark.CreateDelegate<Func<ulong>>(instance);
                return n =>
                {
                    var digest = 0UL;
                    for(var i = 0; i < n; i++)
                    {
                        digest = (digest << 7 | digest >> 57) ^ function();
                    }
                    return digest;
                };
            }
            if(benchmark.ReturnType == typeof(bool))
            {
                var predicate = benchmark.CreateDelegate<Func<bool>>(instance);
                return n =>
                {
                    var digest = 0UL;
                    for(var i = 0; i < n; i++)
                    {
                        digest = (digest << 1 | digest >> 63) ^ (predicate() ? 1UL : 0UL);
                    }
                    return digest;
                };
            }
            throw new ArgumentException($"{Name}: {type}.{method} returns {benchmark.ReturnType}; only void, ulong and bool are paired");
        }

        protected override Assembly Load(AssemblyName assemblyName)
        {
            var path = resolver.ResolveAssemblyToPath(assemblyName);
            return path != null ? LoadFromAssemblyPath(path) : null;
        }

        private static void SetParameter(Type type, object instance, string name, string value)
        {
            var property = type.GetProperty(name);
            var field = property == null ? type.GetField(name) : null;
            var target = property?.PropertyType ?? field?.FieldType ?? throw new ArgumentException($"no parameter {name} on {type.Name}");
            var converted = Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
            if(property != null)
            {
                property.SetValue(instance, converted);
            }
            else
            {
                field.SetValue(instance, converted);
            }
        }

        // A [GlobalSetup] for every benchmark, or one whose Target or Targets names this one.
        private static bool Targets(MethodInfo candidate, string benchmark)
        {
            var setup = Attribute(candidate, "GlobalSetupAttribute");
            if(setup == null)
            {
                return false;
            }
            var targets = new List<string>();
            foreach(var value in new[] { NamedArgument(setup, "Target"), NamedArgument(setup, "Targets") })
            {
                if(value is string one)
                {
                    targets.Add(one);
                }
                else if(value is ReadOnlyCollection<CustomAttributeTypedArgument> many)
                {
                    targets.AddRange(many.Select(a => (string)a.Value));
                }
            }
            return targets.Count == 0 || targets.Contains(benchmark);
        }

        private static CustomAttributeData Attribute(MethodInfo method, string name)
        {
            return method.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);
        }

        private static object NamedArgument(CustomAttributeData attribute, string name)
        {
            return attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();
        }

        private readonly AssemblyDependencyResolver resolver;
        private readonly Assembly assembly;
    }
}
