using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests
{
    // What can be checked about a Robot suite without running it: every keyword a step calls is
    // defined by the suite, by a resource it imports, or known (KeywordCatalog), and is called with
    // an argument count it accepts; Renode keywords get only the name=value arguments they declare;
    // every file the suite or its resources refer to exists.
    public sealed class RobotSuiteChecker
    {
        public RobotSuiteChecker(string suitePath)
        {
            suite = RobotFile.Load(suitePath);
            files.Add(suite);
            LoadResources(suite);
            foreach(var file in files)
            {
                foreach(var variable in file.Variables.Keys)
                {
                    suiteVariables.Add(RobotFile.Normalize(variable.Trim('$', '@', '&', '{', '}')));
                }
            }
            foreach(var file in files)
            {
                foreach(var keyword in file.Keywords)
                {
                    var spec = ArgumentSpec.Of(keyword);
                    if(!userKeywords.TryAdd(RobotFile.Normalize(keyword.Name), spec))
                    {
                        problems.Add($"{file.FilePath}:{keyword.Line}: keyword '{keyword.Name}' is defined twice");
                    }
                }
            }
        }

        public RobotFile Suite => suite;

        public IReadOnlyList<RobotFile> Files => files;

        // Keyword calls found (for the checker's own tests: proof that it looked).
        public int CallsChecked { get; private set; }

        public IReadOnlyList<string> CheckKeywords()
        {
            var found = new List<string>(problems);
            foreach(var file in files)
            {
                found.AddRange(file.Problems);
                foreach(var setting in file.Settings)
                {
                    if(KeywordSettings.Contains(RobotFile.Normalize(setting.Cells[0])) && setting.Cells.Count > 1 && setting.Cells[1] != "NONE")
                    {
                        CheckCall(file, setting.Line, setting.Cells.Skip(1).ToList(), found);
                    }
                }
                foreach(var step in file.TestCases.Concat(file.Keywords).SelectMany(b => b.Steps))
                {
                    CheckStep(file, step, found);
                }
            }
            return found;
        }

        public IReadOnlyList<string> CheckFiles()
        {
            var found = new List<string>();
            foreach(var file in files)
            {
                foreach(var reference in file.FileReferences)
                {
                    if(IsGuestBuildOutput(reference.ResolvedPath, out var target))
                    {
                        // Not in a clean clone: built by guest/Makefile, which must have its rule.
                        if(!guestMakefileTargets.Value.Contains(target))
                        {
                            found.Add($"{reference}: guest/Makefile has no rule for $(BUILD)/{target}");
                        }
                        continue;
                    }
                    if(!File.Exists(reference.ResolvedPath))
                    {
                        found.Add($"{reference}: no such file");
                    }
                }
                found.AddRange(file.UncheckableMonitorPaths);
            }
            return found;
        }

        private static bool IsGuestBuildOutput(string path, out string target)
        {
            var relative = Path.GetRelativePath(RepositoryLayout.GuestBuildDirectory, path).Replace('\\', '/');
            var inside = !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
            target = inside ? relative : null;
            return inside;
        }

        // The outputs guest/Makefile has rules for: lines "$(BUILD)/<path>: ...".
        private static readonly Lazy<HashSet<string>> guestMakefileTargets = new Lazy<HashSet<string>>(() =>
        {
            var targets = new HashSet<string>(StringComparer.Ordinal);
            if(File.Exists(RepositoryLayout.GuestMakefile))
            {
                foreach(var line in File.ReadLines(RepositoryLayout.GuestMakefile))
                {
                    var match = Regex.Match(line, @"^\$\(BUILD\)/(?<target>[^\s:]+)\s*:");
                    if(match.Success)
                    {
                        targets.Add(match.Groups["target"].Value);
                    }
                }
            }
            return targets;
        });

        private void LoadResources(RobotFile file)
        {
            foreach(var path in file.ResourcePaths)
            {
                if(!File.Exists(path))
                {
                    problems.Add($"{file.FilePath}: resource {path} does not exist");
                    continue;
                }
                if(files.Any(f => f.FilePath == path))
                {
                    continue;
                }
                var resource = RobotFile.Load(path);
                if(resource.TestCases.Count > 0)
                {
                    problems.Add($"{path}: a resource file must not have test cases");
                }
                files.Add(resource);
                LoadResources(resource);
            }
        }

        private void CheckStep(RobotFile file, RobotStep step, List<string> found)
        {
            var cells = step.Cells;
            var first = cells[0];
            if(first.StartsWith("[", StringComparison.Ordinal) && first.EndsWith("]", StringComparison.Ordinal))
            {
                var setting = RobotFile.Normalize(first.Trim('[', ']'));
                if(setting == "arguments")
                {
                    CheckNotShadowing(file, step.Line, cells.Skip(1).Select(c => c.Split('=')[0]), found);
                }
                if((setting == "setup" || setting == "teardown") && cells.Count > 1 && cells[1] != "NONE")
                {
                    CheckCall(file, step.Line, cells.Skip(1).ToList(), found);
                }
                return;
            }
            if(first == "FOR")
            {
                CheckNotShadowing(file, step.Line, cells.Skip(1).TakeWhile(c => !c.StartsWith("IN", StringComparison.Ordinal)), found);
                return;
            }
            if(ControlWords.Contains(first))
            {
                if(first == "IF" && cells.Count > 2)
                {
                    found.Add($"{file.FilePath}:{step.Line}: inline IF is not supported by this checker; use an IF block");
                }
                return;
            }
            var index = 0;
            while(index < cells.Count && Assignment.IsMatch(cells[index]))
            {
                index++;
            }
            CheckNotShadowing(file, step.Line, cells.Take(index), found);
            if(index == cells.Count)
            {
                found.Add($"{file.FilePath}:{step.Line}: assignment without a keyword");
                return;
            }
            CheckCall(file, step.Line, cells.Skip(index).ToList(), found);
        }

        private void CheckCall(RobotFile file, int line, IReadOnlyList<string> call, List<string> found)
        {
            CallsChecked++;
            var name = call[0];
            var arguments = call.Skip(1).ToList();
            var normalized = RobotFile.Normalize(name);
            if(name.Contains("${", StringComparison.Ordinal))
            {
                found.Add($"{file.FilePath}:{line}: keyword name '{name}' is computed; this checker cannot follow it");
                return;
            }
            if(userKeywords.TryGetValue(normalized, out var spec))
            {
                if(arguments.Count < spec.Required || (!spec.HasVarargs && arguments.Count > spec.Total))
                {
                    found.Add($"{file.FilePath}:{line}: '{name}' takes {spec.Describe()} argument(s), given {arguments.Count}");
                }
                return;
            }
            if(!KeywordCatalog.TryFind(name, out var known))
            {
                found.Add($"{file.FilePath}:{line}: unknown keyword '{name}'");
                return;
            }
            if(arguments.Count < known.MinimumArguments || (known.MaximumArguments >= 0 && arguments.Count > known.MaximumArguments))
            {
                found.Add($"{file.FilePath}:{line}: '{name}' takes {known.MinimumArguments}..{(known.MaximumArguments < 0 ? "n" : known.MaximumArguments.ToString())} arguments, given {arguments.Count}");
            }
            if(known.NamedArguments != null)
            {
                foreach(var argument in arguments)
                {
                    var named = NamedArgument.Match(argument);
                    if(named.Success && !known.NamedArguments.Contains(named.Groups["name"].Value))
                    {
                        found.Add($"{file.FilePath}:{line}: '{name}' has no parameter '{named.Groups["name"].Value}'");
                    }
                }
            }
            if(KeywordCatalog.NestedKeywordPosition.TryGetValue(normalized, out var position))
            {
                if(arguments.Count > position)
                {
                    CheckCall(file, line, arguments.Skip(position).ToList(), found);
                }
            }
        }

        // Robot variable names ignore case, spaces and underscores: ${busy} is ${BUSY}. Assigning
        // a suite variable's name silently replaces the constant for the rest of the test or keyword.
        private void CheckNotShadowing(RobotFile file, int line, IEnumerable<string> variables, List<string> found)
        {
            foreach(var cell in variables)
            {
                var name = RobotFile.Normalize(cell.Trim().TrimEnd('=', ' ').Trim('$', '@', '&', '{', '}'));
                if(suiteVariables.Contains(name))
                {
                    found.Add($"{file.FilePath}:{line}: {cell.Trim()} is the same variable as a suite variable (names ignore case and underscores)");
                }
            }
        }

        private readonly RobotFile suite;
        private readonly HashSet<string> suiteVariables = new HashSet<string>();
        private readonly List<RobotFile> files = new List<RobotFile>();
        private readonly Dictionary<string, ArgumentSpec> userKeywords = new Dictionary<string, ArgumentSpec>();
        private readonly List<string> problems = new List<string>();

        private static readonly HashSet<string> KeywordSettings = new HashSet<string>
        {
            "suitesetup", "suiteteardown", "testsetup", "testteardown", "tasksetup", "taskteardown"
        };
        private static readonly HashSet<string> ControlWords = new HashSet<string>
        {
            "FOR", "END", "IF", "ELSE IF", "ELSE", "WHILE", "TRY", "EXCEPT", "FINALLY", "BREAK", "CONTINUE", "RETURN"
        };
        private static readonly Regex Assignment = new Regex(@"^[$@&]\{[^}]+\}\s*=?$");
        private static readonly Regex NamedArgument = new Regex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=");

        // A user keyword's [Arguments]: required ${x}, optional ${x}=default, varargs @{x}, &{x}.
        private sealed class ArgumentSpec
        {
            public static ArgumentSpec Of(RobotBlock keyword)
            {
                var spec = new ArgumentSpec();
                var arguments = keyword.Steps.FirstOrDefault(s => s.Cells[0] == "[Arguments]");
                if(arguments == null)
                {
                    return spec;
                }
                foreach(var cell in arguments.Cells.Skip(1))
                {
                    if(cell.StartsWith("@{", StringComparison.Ordinal) || cell.StartsWith("&{", StringComparison.Ordinal))
                    {
                        spec.HasVarargs = true;
                    }
                    else if(cell.Contains("}=", StringComparison.Ordinal))
                    {
                        spec.Total++;
                    }
                    else
                    {
                        spec.Required++;
                        spec.Total++;
                    }
                }
                return spec;
            }

            public int Required { get; private set; }

            public int Total { get; private set; }

            public bool HasVarargs { get; private set; }

            public string Describe()
            {
                return HasVarargs ? $"{Required} or more" : Required == Total ? Required.ToString() : $"{Required}..{Total}";
            }
        }
    }
}
