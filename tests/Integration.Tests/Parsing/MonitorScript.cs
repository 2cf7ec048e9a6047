using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // A Renode monitor script (.resc): one command per line, `#` comment lines and `:key: value`
    // metadata lines skipped. Knows which commands read files (include/i, LoadPlatformDescription,
    // the sysbus Load* family) and resolves their arguments the way the monitor does for paths this
    // repository can check: `$ORIGIN/x` is relative to the script's directory, `@/x` is absolute.
    // A path relative to Renode's own directory (`@x`), to the working directory (`$CWD/x`) or a URL
    // cannot be checked here and is reported as a problem, as is a path-like argument to a command
    // the parser does not know (so a new kind of reference cannot slip past the checks unread).
    public sealed class MonitorScript
    {
        public static MonitorScript Load(string path)
        {
            return new MonitorScript(Path.GetFullPath(path), File.ReadAllLines(path));
        }

        public static MonitorScript Parse(string scriptPath, string text)
        {
            return new MonitorScript(scriptPath, text.Replace("\r", string.Empty).Split('\n'));
        }

        public string ScriptPath { get; }

        public IReadOnlyList<MonitorCommand> Commands => commands;

        // Every file a command of this script reads, resolved to an absolute path.
        public IReadOnlyList<FileReference> FileReferences => fileReferences;

        // References that cannot be resolved or checked from this repository, and syntax problems.
        public IReadOnlyList<string> Problems => problems;

        private MonitorScript(string scriptPath, IReadOnlyList<string> lines)
        {
            ScriptPath = scriptPath;
            for(var i = 0; i < lines.Count; i++)
            {
                var line = lines[i].Trim();
                if(line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal) || IsMetadata(line))
                {
                    continue;
                }
                if(line.Contains("\"\"\"", StringComparison.Ordinal))
                {
                    problems.Add($"{Describe(i + 1)}: multi-line strings are not supported by this checker");
                    continue;
                }
                if(!TryTokenize(line, out var tokens, out var error))
                {
                    problems.Add($"{Describe(i + 1)}: {error}");
                    continue;
                }
                var command = new MonitorCommand(i + 1, tokens);
                commands.Add(command);
                CollectReferences(command);
            }
        }

        private void CollectReferences(MonitorCommand command)
        {
            var tokens = command.Tokens;
            IEnumerable<string> paths;
            if(tokens[0] == "include" || tokens[0] == "i")
            {
                paths = tokens.Skip(1);
                if(tokens.Count < 2)
                {
                    problems.Add($"{Describe(command.Line)}: include without a file");
                }
            }
            else if(tokens.Count >= 3 && tokens[0].EndsWith("machine", StringComparison.Ordinal) && tokens[1] == "LoadPlatformDescription")
            {
                paths = tokens.Skip(2).Take(1);
            }
            else if(tokens.Count >= 3 && FileLoadingBusCommands.Contains(tokens[1]))
            {
                paths = tokens.Skip(2).Take(1);
            }
            else
            {
                foreach(var token in tokens.Where(LooksLikePath))
                {
                    problems.Add($"{Describe(command.Line)}: '{token}' looks like a file but '{tokens[0]} {(tokens.Count > 1 ? tokens[1] : string.Empty)}' is not a command this checker knows to read files");
                }
                return;
            }
            foreach(var token in paths)
            {
                if(TryResolve(token, out var resolved, out var why))
                {
                    fileReferences.Add(new FileReference(ScriptPath, command.Line, token, resolved));
                }
                else
                {
                    problems.Add($"{Describe(command.Line)}: {why}");
                }
            }
        }

        private bool TryResolve(string token, out string resolved, out string why)
        {
            resolved = null;
            why = null;
            if(token.StartsWith(OriginPrefix, StringComparison.Ordinal))
            {
                resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ScriptPath), token.Substring(OriginPrefix.Length)));
                return true;
            }
            if(token.StartsWith("@/", StringComparison.Ordinal))
            {
                resolved = Path.GetFullPath(token.Substring(1));
                return true;
            }
            if(token.Contains("://", StringComparison.Ordinal))
            {
                why = $"'{token}' is a download; this repository's scripts must not fetch anything";
                return false;
            }
            if(token.StartsWith("$CWD", StringComparison.Ordinal))
            {
                why = $"'{token}' depends on the working directory; use $ORIGIN/...";
                return false;
            }
            if(token.StartsWith("@", StringComparison.Ordinal))
            {
                why = $"'{token}' is relative to Renode's installation; use $ORIGIN/... for files of this repository";
                return false;
            }
            why = $"'{token}' is not a path the monitor would read as a file (expected $ORIGIN/... or @/...)";
            return false;
        }

        private string Describe(int line)
        {
            return $"{ScriptPath}:{line}";
        }

        private static bool LooksLikePath(string token)
        {
            return token.StartsWith("@", StringComparison.Ordinal) || token.Contains("$ORIGIN", StringComparison.Ordinal)
                || token.Contains("$CWD", StringComparison.Ordinal);
        }

        // Renode's script headers, e.g. `:name: Board` and `:description: ...`.
        private static bool IsMetadata(string line)
        {
            if(line.Length < 3 || line[0] != ':')
            {
                return false;
            }
            var second = line.IndexOf(':', 1);
            return second > 1 && line.Substring(1, second - 1).All(char.IsLetter);
        }

        // Splits on blanks; double-quoted strings are one token (quotes kept, as the monitor keeps
        // them for string arguments). False for a blank line (error null) or an unterminated string.
        internal static bool TryTokenize(string line, out List<string> tokens, out string error)
        {
            tokens = new List<string>();
            error = null;
            var current = new StringBuilder();
            var inQuotes = false;
            foreach(var c in line)
            {
                if(c == '"')
                {
                    inQuotes = !inQuotes;
                    current.Append(c);
                    continue;
                }
                if(!inQuotes && char.IsWhiteSpace(c))
                {
                    if(current.Length > 0)
                    {
                        tokens.Add(current.ToString());
                        current.Clear();
                    }
                    continue;
                }
                current.Append(c);
            }
            if(inQuotes)
            {
                error = "unterminated string";
                return false;
            }
            if(current.Length > 0)
            {
                tokens.Add(current.ToString());
            }
            return tokens.Count > 0;
        }

        private readonly List<MonitorCommand> commands = new List<MonitorCommand>();
        private readonly List<FileReference> fileReferences = new List<FileReference>();
        private readonly List<string> problems = new List<string>();

        private const string OriginPrefix = "$ORIGIN/";

        private static readonly HashSet<string> FileLoadingBusCommands = new HashSet<string>
        {
            "LoadELF", "LoadBinary", "LoadSymbolsFrom", "LoadFdt", "LoadUImage", "LoadHEX"
        };
    }
}
