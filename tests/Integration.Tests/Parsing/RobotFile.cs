using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // A Robot Framework file (.robot suite or .resource) in the space-separated format: sections,
    // settings, variables, test cases and user keywords, with every step split into cells (two or
    // more spaces or a tab separate cells; `...` continues the previous line; a cell starting with
    // `#` starts a comment). What this repository's checks need: the keyword each step calls, the
    // user keywords' argument specs, and the files the file refers to.
    public sealed class RobotFile
    {
        public static RobotFile Load(string path)
        {
            return Parse(Path.GetFullPath(path), File.ReadAllText(path));
        }

        public static RobotFile Parse(string path, string text)
        {
            var file = new RobotFile(path);
            file.Read(text.Replace("\r", string.Empty).Split('\n'));
            return file;
        }

        public string FilePath { get; }

        public string Directory => System.IO.Path.GetDirectoryName(FilePath);

        public IReadOnlyList<RobotStep> Settings => settings;

        public IReadOnlyDictionary<string, RobotStep> Variables => variables;

        public IReadOnlyList<RobotBlock> TestCases => testCases;

        public IReadOnlyList<RobotBlock> Keywords => keywords;

        public IReadOnlyList<string> Problems => problems;

        // Files named by `Resource` settings, resolved against this file's directory.
        public IEnumerable<string> ResourcePaths
        {
            get
            {
                foreach(var setting in settings.Where(s => Normalize(s.Cells[0]) == "resource" && s.Cells.Count > 1))
                {
                    yield return ResolveRobotPath(setting.Cells[1]);
                }
            }
        }

        // Every ${CURDIR}-based path in any cell, and every Resource, resolved.
        public IEnumerable<FileReference> FileReferences
        {
            get
            {
                foreach(var step in AllSteps())
                {
                    if(step.Section == "settings" && Normalize(step.Cells[0]) == "resource" && step.Cells.Count > 1)
                    {
                        yield return new FileReference(FilePath, step.Line, step.Cells[1], ResolveRobotPath(step.Cells[1]));
                        continue;
                    }
                    foreach(var cell in step.Cells)
                    {
                        foreach(Match match in CurdirPath.Matches(cell))
                        {
                            yield return new FileReference(FilePath, step.Line, match.Value, ResolveRobotPath(match.Value));
                        }
                    }
                }
            }
        }

        // `@path` arguments of monitor commands (Execute Command) this checker cannot resolve:
        // relative to Renode's installation (`@x`), or `$ORIGIN`, which exists only inside .resc
        // scripts.
        public IEnumerable<string> UncheckableMonitorPaths
        {
            get
            {
                foreach(var step in AllSteps())
                {
                    var command = step.Cells.Select((cell, index) => (cell, index)).FirstOrDefault(c => Normalize(c.cell) == "executecommand");
                    if(command.cell == null)
                    {
                        continue;
                    }
                    foreach(var cell in step.Cells.Skip(command.index + 1))
                    {
                        foreach(Match match in MonitorPathArgument.Matches(cell))
                        {
                            var path = match.Groups["path"].Value;
                            if(path.StartsWith("${", StringComparison.Ordinal) || path.StartsWith("/", StringComparison.Ordinal))
                            {
                                continue;
                            }
                            yield return $"{FilePath}:{step.Line}: '@{path}' is relative to Renode's installation";
                        }
                        if(cell.Contains("$ORIGIN", StringComparison.Ordinal))
                        {
                            yield return $"{FilePath}:{step.Line}: $ORIGIN only exists inside .resc scripts";
                        }
                    }
                }
            }
        }

        public IEnumerable<RobotStep> AllSteps()
        {
            return settings.Concat(variables.Values).Concat(testCases.SelectMany(t => t.Steps)).Concat(keywords.SelectMany(k => k.Steps));
        }

        // Robot's keyword-name matching: case, spaces and underscores do not count.
        public static string Normalize(string name)
        {
            return new string(name.Where(c => c != ' ' && c != '_').Select(char.ToLowerInvariant).ToArray());
        }

        private RobotFile(string path)
        {
            FilePath = path;
        }

        private string ResolveRobotPath(string written)
        {
            var replaced = written.Replace("${CURDIR}", Directory, StringComparison.Ordinal);
            return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(replaced) ? replaced : System.IO.Path.Combine(Directory, replaced));
        }

        private void Read(IReadOnlyList<string> lines)
        {
            string section = null;
            RobotBlock block = null;
            RobotStep previous = null;
            for(var i = 0; i < lines.Count; i++)
            {
                var lineNumber = i + 1;
                var line = lines[i];
                if(line.Trim().Length == 0)
                {
                    continue;
                }
                if(line.TrimStart().StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }
                if(line.StartsWith("*", StringComparison.Ordinal))
                {
                    section = SectionName(line, lineNumber);
                    block = null;
                    previous = null;
                    continue;
                }
                if(section == null)
                {
                    problems.Add($"{FilePath}:{lineNumber}: text before the first section");
                    continue;
                }
                if(section == "comments")
                {
                    continue;
                }
                var indented = char.IsWhiteSpace(line[0]);
                var cells = SplitCells(line.Trim());
                if(cells.Count == 0)
                {
                    continue;
                }
                if(cells[0] == "...")
                {
                    if(previous == null)
                    {
                        problems.Add($"{FilePath}:{lineNumber}: '...' continues nothing");
                        continue;
                    }
                    previous.Append(cells.Skip(1));
                    continue;
                }
                switch(section)
                {
                case "settings":
                    previous = new RobotStep(lineNumber, section, cells);
                    settings.Add(previous);
                    break;
                case "variables":
                    previous = new RobotStep(lineNumber, section, cells);
                    if(!variables.TryAdd(cells[0], previous))
                    {
                        problems.Add($"{FilePath}:{lineNumber}: variable {cells[0]} defined twice");
                    }
                    break;
                case "testcases":
                case "keywords":
                    if(!indented)
                    {
                        block = new RobotBlock(cells[0], lineNumber);
                        (section == "testcases" ? testCases : keywords).Add(block);
                        previous = null;
                        if(cells.Count > 1)
                        {
                            previous = new RobotStep(lineNumber, section, cells.Skip(1).ToList());
                            block.AddStep(previous);
                        }
                        break;
                    }
                    if(block == null)
                    {
                        problems.Add($"{FilePath}:{lineNumber}: step outside any test case or keyword");
                        break;
                    }
                    previous = new RobotStep(lineNumber, section, cells);
                    block.AddStep(previous);
                    break;
                }
            }
        }

        private string SectionName(string line, int lineNumber)
        {
            var name = Normalize(line.Trim('*', ' ', '\t'));
            switch(name)
            {
            case "settings":
            case "setting":
                return "settings";
            case "variables":
            case "variable":
                return "variables";
            case "testcases":
            case "testcase":
            case "tasks":
                return "testcases";
            case "keywords":
            case "keyword":
                return "keywords";
            case "comments":
            case "comment":
                return "comments";
            default:
                problems.Add($"{FilePath}:{lineNumber}: unknown section '{line.Trim()}'");
                return "comments";
            }
        }

        // Cells are separated by two or more spaces or a tab; a cell starting with # ends the line.
        private static List<string> SplitCells(string trimmedLine)
        {
            var cells = new List<string>();
            foreach(var cell in CellSeparator.Split(trimmedLine))
            {
                if(cell.StartsWith("#", StringComparison.Ordinal))
                {
                    break;
                }
                if(cell.Length > 0)
                {
                    cells.Add(cell);
                }
            }
            return cells;
        }

        private readonly List<RobotStep> settings = new List<RobotStep>();
        private readonly Dictionary<string, RobotStep> variables = new Dictionary<string, RobotStep>();
        private readonly List<RobotBlock> testCases = new List<RobotBlock>();
        private readonly List<RobotBlock> keywords = new List<RobotBlock>();
        private readonly List<string> problems = new List<string>();

        private static readonly Regex CellSeparator = new Regex(@" {2,}|\t");
        private static readonly Regex CurdirPath = new Regex(@"\$\{CURDIR\}[^\s""'`;]*");
        private static readonly Regex MonitorPathArgument = new Regex(@"(?:^|\s)@(?<path>[^\s""'{][^\s""']*)");
    }
}
