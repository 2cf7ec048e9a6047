using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.RegularExpressions;
using RenodeFrameAlloc.Integration.Tests.Parsing;
using RenodeFrameAlloc.StandIn.Testing;

namespace RenodeFrameAlloc.Integration.Tests.Rehearsal
{
    // Plays a Robot suite's test cases the way Robot Framework would, against a RehearsalMonitor
    // instead of Renode: suite and resource variables, ${CURDIR} per file, user keywords with
    // [Arguments] (defaults, name=value), FOR ... IN / IN RANGE, RETURN, assignments, and the
    // Renode and BuiltIn keywords the suites call (Execute Command, Evaluate, Should Be ..., Set Test
    // Variable, Create List, Create Log Tester, Wait For Log Entry, Allocate Temporary File, Log).
    // Values follow Robot: a cell that is one variable passes its object, text around variables
    // makes a string, numbers are Python integers. What Renode alone can do throws
    // RehearsalUnsupportedException. A rehearsal is not a Renode run; it shows that the suites'
    // register sequences and expectations hold against the plugin's own peripherals.
    public sealed class RobotRehearsal
    {
        public RobotRehearsal(string suitePath)
        {
            checker = new RobotSuiteChecker(suitePath);
            foreach(var file in checker.Files)
            {
                foreach(var keyword in file.Keywords)
                {
                    keywords[RobotFile.Normalize(keyword.Name)] = (keyword, file);
                }
            }
            // Resources first, so the suite's own variables can use theirs.
            foreach(var file in checker.Files.Skip(1).Concat(checker.Files.Take(1)))
            {
                foreach(var variable in file.Variables.Values)
                {
                    var scope = new Scope(suiteVariables, null, file);
                    var name = VariableName(variable.Cells[0]);
                    suiteVariables[RobotFile.Normalize(name)] = variable.Cells.Count > 1 ? Resolve(variable.Cells[1], scope) : string.Empty;
                }
            }
        }

        public IEnumerable<string> TestNames => checker.Suite.TestCases.Select(t => t.Name);

        // Runs one test case from a fresh emulation; throws on the first failing step.
        public void Run(string testName)
        {
            var test = checker.Suite.TestCases.Single(t => t.Name == testName);
            monitor = new RehearsalMonitor();
            LogCapture.Clear();
            logConsumed = 0;
            testVariables = new Dictionary<string, object>(suiteVariables);
            // As in Robot: what the test body assigns is its own; keywords see suite and test variables.
            var scope = new Scope(new Dictionary<string, object>(), testVariables, checker.Suite);
            RunFixture("testsetup", scope);
            try
            {
                RunSteps(test.Steps.ToList(), scope);
            }
            catch(Exception)
            {
                // As in Robot, the teardown runs after a failed body too; the body's failure is the one reported.
                try
                {
                    RunFixture("testteardown", scope);
                }
                catch(RehearsalFailure)
                {
                }
                throw;
            }
            RunFixture("testteardown", scope);
        }

        // The suite's Test Setup / Test Teardown setting, if it has one.
        private void RunFixture(string setting, Scope scope)
        {
            var step = checker.Suite.Settings.FirstOrDefault(s => RobotFile.Normalize(s.Cells[0]) == setting);
            if(step == null || step.Cells.Count < 2 || step.Cells[1] == "NONE")
            {
                return;
            }
            try
            {
                Call(step.Cells[1], step.Cells.Skip(2).ToList(), scope);
            }
            catch(RehearsalFailure failure)
            {
                throw new RehearsalFailure($"{Path.GetFileName(checker.Suite.FilePath)}:{step.Line}: {step.Cells[0]}: {failure.Message}");
            }
        }

        private object RunSteps(List<RobotStep> steps, Scope scope)
        {
            for(var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                var first = step.Cells[0];
                if(first.StartsWith("[", StringComparison.Ordinal))
                {
                    continue;
                }
                if(first == "FOR")
                {
                    var end = MatchingEnd(steps, i);
                    RunFor(step, steps.GetRange(i + 1, end - i - 1), scope);
                    i = end;
                    continue;
                }
                if(first == "RETURN")
                {
                    var values = step.Cells.Skip(1).Select(c => Resolve(c, scope)).ToList();
                    throw new ReturnSignal(values.Count == 0 ? null : values.Count == 1 ? values[0] : values);
                }
                if(first == "IF" || first == "WHILE" || first == "TRY" || first == "END" || first == "ELSE")
                {
                    throw new NotSupportedException($"line {step.Line}: {first} is not supported by the rehearsal");
                }
                var index = 0;
                var targets = new List<string>();
                while(Assignment.IsMatch(step.Cells[index]))
                {
                    targets.Add(VariableName(step.Cells[index].TrimEnd('=', ' ')));
                    index++;
                }
                object result;
                try
                {
                    result = Call(step.Cells[index], step.Cells.Skip(index + 1).ToList(), scope);
                }
                catch(RehearsalFailure failure)
                {
                    throw new RehearsalFailure($"{Path.GetFileName(scope.File.FilePath)}:{step.Line}: {step.Cells[index]}: {failure.Message}");
                }
                catch(Exception e) when(!(e is ReturnSignal) && !(e is RehearsalUnsupportedException))
                {
                    throw new RehearsalFailure($"{Path.GetFileName(scope.File.FilePath)}:{step.Line}: {step.Cells[index]}: {e.GetType().Name}: {e.Message}");
                }
                if(targets.Count == 1)
                {
                    scope.Set(targets[0], result);
                }
                else if(targets.Count > 1)
                {
                    throw new NotSupportedException($"line {step.Line}: multiple assignment");
                }
            }
            return null;
        }

        private void RunFor(RobotStep header, List<RobotStep> body, Scope scope)
        {
            var cells = header.Cells;
            var inIndex = cells.ToList().FindIndex(c => c == "IN" || c == "IN RANGE");
            var names = cells.Skip(1).Take(inIndex - 1).Select(VariableName).ToList();
            var values = cells.Skip(inIndex + 1).Select(c => Resolve(c, scope)).ToList();
            var items = new List<object>();
            if(cells[inIndex] == "IN RANGE")
            {
                var numbers = values.Select(ToInteger).ToList();
                var (start, stop) = numbers.Count == 1 ? (BigInteger.Zero, numbers[0]) : (numbers[0], numbers[1]);
                for(var n = start; n < stop; n++)
                {
                    items.Add(n);
                }
            }
            else
            {
                items = values;
            }
            if(items.Count % names.Count != 0)
            {
                throw new RehearsalFailure($"line {header.Line}: {items.Count} values for {names.Count} loop variables");
            }
            for(var i = 0; i < items.Count; i += names.Count)
            {
                for(var j = 0; j < names.Count; j++)
                {
                    scope.Set(names[j], items[i + j]);
                }
                RunSteps(body, scope);
            }
        }

        private object Call(string name, List<string> rawArguments, Scope scope)
        {
            var normalized = RobotFile.Normalize(name);
            if(keywords.TryGetValue(normalized, out var definition))
            {
                return CallUserKeyword(definition.Keyword, definition.File, rawArguments, scope);
            }
            if(normalized == "settestvariable")
            {
                // BuiltIn resolves only the value: the first argument names the variable.
                testVariables[RobotFile.Normalize(VariableName(rawArguments[0]))] = Resolve(rawArguments[1], scope);
                return null;
            }
            var arguments = rawArguments.Select(a => Resolve(a, scope)).ToList();
            switch(normalized)
            {
            case "executecommand":
                return monitor.Execute(string.Join(" ", arguments.Select(PythonExpression.ToText)));
            case "evaluate":
                return PythonExpression.Evaluate(PythonExpression.ToText(arguments[0]), n => scope.Get(n));
            case "shouldbeequalasintegers":
                if(ToInteger(arguments[0]) != ToInteger(arguments[1]))
                {
                    throw new RehearsalFailure($"{Message(arguments, 2)}: {ToInteger(arguments[0])} (0x{ToInteger(arguments[0]):X}) != {ToInteger(arguments[1])} (0x{ToInteger(arguments[1]):X})");
                }
                return null;
            case "shouldbetrue":
            {
                var condition = arguments[0] is string text ? PythonExpression.Evaluate(text, n => scope.Get(n)) : arguments[0];
                if(!PythonExpression.IsTrue(condition))
                {
                    throw new RehearsalFailure($"{Message(arguments, 1)}: '{PythonExpression.ToText(arguments[0])}' is false");
                }
                return null;
            }
            case "shouldbeequal":
                if(PythonExpression.ToText(arguments[0]) != PythonExpression.ToText(arguments[1]))
                {
                    throw new RehearsalFailure($"{Message(arguments, 2)}: {PythonExpression.ToText(arguments[0])} != {PythonExpression.ToText(arguments[1])}");
                }
                return null;
            case "shouldcontain":
                if(!PythonExpression.ToText(arguments[0]).Contains(PythonExpression.ToText(arguments[1]), StringComparison.Ordinal))
                {
                    throw new RehearsalFailure($"'{PythonExpression.ToText(arguments[0])}' does not contain '{PythonExpression.ToText(arguments[1])}'");
                }
                return null;
            case "createlist":
                return new List<object>(arguments);
            case "createlogtester":
                LogCapture.Clear();
                logConsumed = 0;
                return null;
            case "waitforlogentry":
                return WaitForLogEntry(rawArguments, arguments);
            case "shouldnotbeinlog":
                ShouldNotBeInLog(rawArguments, arguments);
                return null;
            case "resetemulation":
                monitor = new RehearsalMonitor();
                LogCapture.Clear();
                logConsumed = 0;
                return null;
            case "testteardown":
                // renode-test's own teardown (snapshots and logs of failed tests): nothing to rehearse.
                return null;
            case "allocatetemporaryfile":
                // A path only: the rehearsal never writes a snapshot.
                return Path.Combine(Path.GetTempPath(), Path.GetRandomFileName());
            case "log":
                return null;
            default:
                throw new RehearsalUnsupportedException($"keyword '{name}'");
            }
        }

        private object CallUserKeyword(RobotBlock keyword, RobotFile file, List<string> rawArguments, Scope caller)
        {
            var local = new Scope(new Dictionary<string, object>(), testVariables, file);
            var spec = keyword.Steps.FirstOrDefault(s => s.Cells[0] == "[Arguments]")?.Cells.Skip(1).ToList() ?? new List<string>();
            var bound = new Dictionary<string, object>();
            var positional = new List<object>();
            foreach(var raw in rawArguments)
            {
                var named = NamedArgument.Match(raw);
                if(named.Success && spec.Any(s => RobotFile.Normalize(VariableName(s.Split('=')[0])) == RobotFile.Normalize(named.Groups["name"].Value)))
                {
                    bound[RobotFile.Normalize(named.Groups["name"].Value)] = Resolve(raw.Substring(named.Length), caller);
                    continue;
                }
                positional.Add(Resolve(raw, caller));
            }
            for(var i = 0; i < spec.Count; i++)
            {
                var equals = spec[i].IndexOf("}=", StringComparison.Ordinal);
                var argumentName = VariableName(equals < 0 ? spec[i] : spec[i].Substring(0, equals + 1));
                var key = RobotFile.Normalize(argumentName);
                if(i < positional.Count)
                {
                    local.Set(argumentName, positional[i]);
                }
                else if(bound.TryGetValue(key, out var value))
                {
                    local.Set(argumentName, value);
                }
                else if(equals >= 0)
                {
                    local.Set(argumentName, Resolve(spec[i].Substring(equals + 2), local));
                }
                else
                {
                    throw new RehearsalFailure($"'{keyword.Name}' is missing argument {argumentName}");
                }
            }
            if(positional.Count > spec.Count)
            {
                throw new RehearsalFailure($"'{keyword.Name}' got {positional.Count} arguments for {spec.Count}");
            }
            try
            {
                RunSteps(keyword.Steps.ToList(), local);
            }
            catch(ReturnSignal returned)
            {
                return returned.Value;
            }
            return null;
        }

        // Renode's Should Not Be In Log with timeout 0: pattern (treatAsRegex=...) and level=... as
        // named arguments; entries a Wait For Log Entry consumed are gone, as from Renode's tester.
        private void ShouldNotBeInLog(List<string> rawArguments, List<object> arguments)
        {
            var pattern = PythonExpression.ToText(arguments[0]);
            var named = NamedArguments(rawArguments, arguments, "Should Not Be In Log", "treatasregex", "level", "timeout");
            var matches = LogPredicate(pattern, named);
            var entries = LogCapture.Entries;
            for(var i = logConsumed; i < entries.Count; i++)
            {
                if(matches(entries[i]))
                {
                    throw new RehearsalFailure($"Unexpected line detected in the log: {entries[i]}");
                }
            }
        }

        // Renode's LogTester.WaitForEntry over the captured log: the first entry since the last
        // consumed one that matches (treatAsRegex, level); unless keep, it and every entry before
        // it are consumed. The rehearsal has no clock: timeout and pauseEmulation change nothing.
        private object WaitForLogEntry(List<string> rawArguments, List<object> arguments)
        {
            var pattern = PythonExpression.ToText(arguments[0]);
            var named = NamedArguments(rawArguments, arguments, "Wait For Log Entry", "treatasregex", "level", "keep", "timeout", "pauseemulation");
            var matches = LogPredicate(pattern, named);
            var entries = LogCapture.Entries;
            for(var i = logConsumed; i < entries.Count; i++)
            {
                if(matches(entries[i]))
                {
                    if(!IsTrue(named, "keep"))
                    {
                        logConsumed = i + 1;
                    }
                    return entries[i].Message;
                }
            }
            throw new RehearsalFailure($"no log entry matching '{pattern}'; logged: " + string.Join(" | ", entries.Skip(logConsumed).Select(e => e.Message)));
        }

        // The name=value arguments of a log keyword, by normalized name; a name the rehearsal does
        // not model fails the rehearsal rather than being ignored.
        private static Dictionary<string, string> NamedArguments(List<string> rawArguments, List<object> arguments, string keyword, params string[] known)
        {
            var named = new Dictionary<string, string>();
            for(var i = 1; i < rawArguments.Count; i++)
            {
                var match = NamedArgument.Match(rawArguments[i]);
                if(!match.Success)
                {
                    continue;
                }
                var name = RobotFile.Normalize(match.Groups["name"].Value);
                if(Array.IndexOf(known, name) < 0)
                {
                    throw new RehearsalFailure($"{keyword}: the rehearsal does not model the argument '{name}'");
                }
                // As in Robot, the last of repeated named arguments wins.
                named[name] = PythonExpression.ToText(arguments[i]).Substring(match.Length);
            }
            return named;
        }

        private static Func<CapturedLogEntry, bool> LogPredicate(string pattern, Dictionary<string, string> named)
        {
            var regex = IsTrue(named, "treatasregex") ? new Regex(pattern) : null;
            named.TryGetValue("level", out var level);
            return entry => (level == null || string.Equals(entry.Level.ToString(), level, StringComparison.OrdinalIgnoreCase))
                && (regex != null ? regex.IsMatch(entry.Message) : entry.Message.Contains(pattern, StringComparison.Ordinal));
        }

        private static bool IsTrue(Dictionary<string, string> named, string name)
        {
            return named.TryGetValue(name, out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        // Robot's variable substitution: a cell that is exactly one variable gives its value; else text.
        private object Resolve(string cell, Scope scope)
        {
            var whole = WholeVariable.Match(cell);
            if(whole.Success)
            {
                return Lookup(whole.Groups["name"].Value, scope);
            }
            return VariableReference.Replace(cell, m => PythonExpression.ToText(Lookup(m.Groups["name"].Value, scope)));
        }

        private object Lookup(string name, Scope scope)
        {
            switch(RobotFile.Normalize(name))
            {
            case "curdir":
                return scope.File.Directory;
            case "space":
                return " ";
            case "empty":
                return string.Empty;
            case "true":
                return true;
            case "false":
                return false;
            case "none":
                return null;
            default:
                return scope.Get(name);
            }
        }

        private static BigInteger ToInteger(object value)
        {
            switch(value)
            {
            case BigInteger i:
                return i;
            case bool b:
                return b ? BigInteger.One : BigInteger.Zero;
            case string s:
                // Robot's Convert To Integer: whitespace removed, sign, 0x/0o/0b prefixes.
                var text = new string(s.Where(c => !char.IsWhiteSpace(c)).ToArray());
                var digits = text.TrimStart('-', '+').ToLowerInvariant();
                var prefixed = digits.StartsWith("0x", StringComparison.Ordinal) || digits.StartsWith("0o", StringComparison.Ordinal) || digits.StartsWith("0b", StringComparison.Ordinal);
                return (BigInteger)PythonExpression.Evaluate($"int('{text}', {(prefixed ? 0 : 10)})", _ => null);
            default:
                throw new RehearsalFailure($"{PythonExpression.ToText(value)} is not an integer");
            }
        }

        private static string Message(List<object> arguments, int index)
        {
            return arguments.Count > index ? PythonExpression.ToText(arguments[index]) : "values differ";
        }

        private static int MatchingEnd(List<RobotStep> steps, int start)
        {
            var depth = 0;
            for(var i = start; i < steps.Count; i++)
            {
                var first = steps[i].Cells[0];
                if(first == "FOR" || first == "IF" || first == "WHILE" || first == "TRY")
                {
                    depth++;
                }
                else if(first == "END" && --depth == 0)
                {
                    return i;
                }
            }
            throw new RehearsalFailure($"line {steps[start].Line}: FOR without END");
        }

        private static string VariableName(string cell)
        {
            var match = DeclaredVariable.Match(cell.Trim());
            return match.Success ? match.Groups["name"].Value : throw new RehearsalFailure($"'{cell}' is not a variable");
        }

        private RehearsalMonitor monitor;
        private Dictionary<string, object> testVariables;
        private int logConsumed;
        private readonly RobotSuiteChecker checker;
        private readonly Dictionary<string, object> suiteVariables = new Dictionary<string, object>();
        private readonly Dictionary<string, (RobotBlock Keyword, RobotFile File)> keywords = new Dictionary<string, (RobotBlock, RobotFile)>();

        private static readonly Regex Assignment = new Regex(@"^[$@&]\{[^}]+\}\s*=?$");
        private static readonly Regex DeclaredVariable = new Regex(@"^[$@&]\{(?<name>[^}]+)\}$");
        private static readonly Regex WholeVariable = new Regex(@"^\$\{(?<name>[^}]+)\}$");
        private static readonly Regex VariableReference = new Regex(@"\$\{(?<name>[^}]+)\}");
        private static readonly Regex NamedArgument = new Regex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=");

        // Variables visible to a step: its own (a keyword's locals, or the test's), then the test's.
        private sealed class Scope
        {
            public Scope(Dictionary<string, object> own, Dictionary<string, object> outer, RobotFile file)
            {
                this.own = own;
                this.outer = outer;
                File = file;
            }

            public RobotFile File { get; }

            public object Get(string name)
            {
                var key = RobotFile.Normalize(name);
                if(own.TryGetValue(key, out var value) || (outer != null && outer.TryGetValue(key, out value)))
                {
                    return value;
                }
                throw new RehearsalFailure($"variable ${{{name}}} not found");
            }

            public void Set(string name, object value)
            {
                own[RobotFile.Normalize(name)] = value;
            }

            private readonly Dictionary<string, object> own;
            private readonly Dictionary<string, object> outer;
        }

        private sealed class ReturnSignal : Exception
        {
            public ReturnSignal(object value)
            {
                Value = value;
            }

            public object Value { get; }
        }
    }
}
