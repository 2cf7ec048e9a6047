using System;
using System.IO;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Where the repository's files are, found from the test binary's location (the directory that
    // holds renode-framealloc.sln), so the tests read the working tree, not copies.
    public static class RepositoryLayout
    {
        public static string Root => root.Value;

        public static string Path(params string[] parts)
        {
            var all = new string[parts.Length + 1];
            all[0] = Root;
            Array.Copy(parts, 0, all, 1, parts.Length);
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(all));
        }

        // Repository-relative form of an absolute path, with '/' separators, for messages.
        public static string Relative(string absolutePath)
        {
            return System.IO.Path.GetRelativePath(Root, absolutePath).Replace('\\', '/');
        }

        public static string Loader => Path("renode-framealloc", "framealloc.resc");

        public static string PlatformRepl => Path("platforms", "framealloc-riscv64.repl");

        public static string PlatformScript => Path("platforms", "framealloc-riscv64.resc");

        public static string RobotDirectory => Path("robot-tests");

        // Where guest/Makefile puts what it builds (ignored by git), and the Makefile itself.
        public static string GuestBuildDirectory => Path("guest", "build");

        public static string GuestMakefile => Path("guest", "Makefile");

        private static string FindRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while(directory != null)
            {
                if(File.Exists(System.IO.Path.Combine(directory.FullName, "renode-framealloc.sln")))
                {
                    return directory.FullName;
                }
                directory = directory.Parent;
            }
            throw new InvalidOperationException($"No renode-framealloc.sln above {AppContext.BaseDirectory}");
        }

        private static readonly Lazy<string> root = new Lazy<string>(FindRoot);
    }
}
