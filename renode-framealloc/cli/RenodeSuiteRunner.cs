using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace RenodeFrameAlloc.Cli
{
    // The demo's --renode mode: runs the Robot suites (which load the platform and the plugin)
    // with Renode's test runner, renode-test, found on the given search path.
    public sealed class RenodeSuiteRunner
    {
        // searchPath: directories separated by Path.PathSeparator, as in PATH; repositoryRoot:
        // the directory holding robot-tests/.
        public RenodeSuiteRunner(string searchPath, string repositoryRoot)
        {
            this.searchPath = searchPath ?? string.Empty;
            this.repositoryRoot = repositoryRoot;
        }

        // Runs every robot-tests/*.robot in one renode-test call. Returns its exit code, or
        // NotAvailable with a message when renode-test or the suites are missing.
        public int Run(Action<string> say)
        {
            var runner = FindExecutable("renode-test");
            if(runner == null)
            {
                say("renode-test is not on PATH: install Renode (its .NET build) to run the platform and the Robot suites, "
                    + "or run the demo without --renode to see everything on the embedded host.");
                return NotAvailable;
            }
            var suiteDirectory = repositoryRoot == null ? null : Path.Combine(repositoryRoot, "robot-tests");
            var suites = suiteDirectory != null && Directory.Exists(suiteDirectory)
                ? Directory.GetFiles(suiteDirectory, "*.robot").OrderBy(f => f, StringComparer.Ordinal).ToArray()
                : Array.Empty<string>();
            if(suites.Length == 0)
            {
                say($"no Robot suites found in {suiteDirectory ?? "robot-tests/ (repository root not found)"}: nothing to run in Renode.");
                return NotAvailable;
            }
            say($"running {suites.Length} suite(s) with {runner}");
            var start = new ProcessStartInfo(runner) { UseShellExecute = false, WorkingDirectory = repositoryRoot };
            foreach(var suite in suites)
            {
                start.ArgumentList.Add(Path.GetRelativePath(repositoryRoot, suite));
            }
            using var process = Process.Start(start);
            process.WaitForExit();
            return process.ExitCode;
        }

        // The repository root: the nearest directory at or above start that holds robot-tests/ or
        // the solution file; null when there is none.
        public static string FindRepositoryRoot(string start)
        {
            for(var directory = new DirectoryInfo(start); directory != null; directory = directory.Parent)
            {
                if(Directory.Exists(Path.Combine(directory.FullName, "robot-tests"))
                    || File.Exists(Path.Combine(directory.FullName, "renode-framealloc.sln")))
                {
                    return directory.FullName;
                }
            }
            return null;
        }

        private string FindExecutable(string name)
        {
            foreach(var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if(File.Exists(candidate) && (OperatingSystem.IsWindows()
                    || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                {
                    return candidate;
                }
            }
            return null;
        }

        // Exit code when Renode or the suites are not there.
        public const int NotAvailable = 3;

        private readonly string searchPath;
        private readonly string repositoryRoot;
    }
}
