using System;
using System.IO;
using System.Reflection;

namespace RenodeFrameAlloc.Peripherals
{
    // Makes a snapshot saved by one Renode process loadable in another. Renode compiles the
    // plugin's sources anew in every process (include @....cs) and names each such assembly after
    // a fresh temporary file, "<guid>.dll"; Migrant records every plugin type under that name, so a
    // second process, whose plugin carries another name, finds no assembly for them and refuses
    // the snapshot. Renode's own resolver answers first, for assemblies it knows (the compiler
    // cache's, for one); this one is asked only for what nobody else resolved, and answers an
    // ad-hoc name with the plugin loaded in this process. A type the plugin does not have still
    // resolves to nothing, so a snapshot of another ad-hoc assembly fails as it did before.
    public static class PluginAssemblyResolver
    {
        // Idempotent: installs the handler once per process.
        public static void Install(Assembly plugin)
        {
            lock(sync)
            {
                if(installedFor != null)
                {
                    return;
                }
                installedFor = plugin ?? throw new ArgumentNullException(nameof(plugin));
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
            }
        }

        public static bool IsInstalled => installedFor != null;

        // The assembly an unresolved request should bind to, or null. requestedName is a full
        // assembly name as the runtime passes it ("<guid>.dll, Version=0.0.0.0, ...").
        public static Assembly Resolve(string requestedName, Assembly plugin)
        {
            if(plugin == null || string.IsNullOrEmpty(requestedName))
            {
                return null;
            }
            string simpleName;
            try
            {
                simpleName = new AssemblyName(requestedName).Name;
            }
            catch(Exception e) when(e is ArgumentException || e is FileLoadException)
            {
                return null;
            }
            if(simpleName == plugin.GetName().Name)
            {
                return plugin;
            }
            return IsAdHocName(simpleName) ? plugin : null;
        }

        // Renode's AdHocCompiler names an assembly after its temporary output file: a GUID with
        // ".dll" appended (TemporaryFilesManager.GetTemporaryFile, then Path.ChangeExtension).
        public static bool IsAdHocName(string simpleName)
        {
            const string suffix = ".dll";
            return simpleName != null
                && simpleName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && Guid.TryParseExact(simpleName.Substring(0, simpleName.Length - suffix.Length), "D", out _);
        }

        private static Assembly OnAssemblyResolve(object sender, ResolveEventArgs args)
        {
            try
            {
                return Resolve(args.Name, installedFor);
            }
            catch(Exception)
            {
                // A resolver that throws fails the caller's load outright; not resolving lets it report.
                return null;
            }
        }

        private static Assembly installedFor;
        private static readonly object sync = new object();
    }
}
