using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // A Renode platform description (.repl) in the indentation style this repository writes:
    //     name: Type @ sysbus 0x1000            (or <0x1000, +0x100>, or no address, or no registration)
    //         attribute: value                  (string, number, true/false, reference, Enum.Value)
    //         IRQ -> plic@3 | -> plic@3 | 0 -> cpu@11 | [0, 1] -> cpu@[3, 7] | [0-3] -> plic@[4-7]
    //     using "other.repl"
    // with // and /* */ comments. Anything else (inline { } blocks, init: sections, registrations
    // it cannot read) is a ReplSyntaxException naming the line, so a check built on this parser
    // never passes because it skipped a line it did not understand.
    public sealed class ReplDocument
    {
        public static ReplDocument Load(string path)
        {
            return Parse(File.ReadAllText(path), path);
        }

        public static ReplDocument Parse(string text, string sourceName = "<string>")
        {
            var document = new ReplDocument(sourceName);
            var lines = StripComments(text).Split('\n');
            ReplEntry current = null;
            for(var i = 0; i < lines.Length; i++)
            {
                var lineNumber = i + 1;
                var raw = lines[i].TrimEnd('\r', ' ', '\t');
                if(raw.Trim().Length == 0)
                {
                    continue;
                }
                if(char.IsWhiteSpace(raw[0]))
                {
                    if(current == null)
                    {
                        throw new ReplSyntaxException(sourceName, lineNumber, "indented line outside any peripheral");
                    }
                    document.ParseBodyLine(current, raw.Trim(), lineNumber);
                    continue;
                }
                var usingMatch = UsingLine.Match(raw);
                if(usingMatch.Success)
                {
                    document.usings.Add(new ReplUsing(usingMatch.Groups["path"].Value, lineNumber));
                    current = null;
                    continue;
                }
                current = document.ParseEntryLine(raw, lineNumber);
            }
            return document;
        }

        public string SourceName { get; }

        public IReadOnlyList<ReplEntry> Entries => entries;

        public IReadOnlyList<ReplUsing> Usings => usings;

        public ReplEntry Find(string name)
        {
            return entries.FirstOrDefault(e => e.Name == name);
        }

        public ReplEntry Get(string name)
        {
            return Find(name) ?? throw new KeyNotFoundException($"{SourceName}: no peripheral named '{name}'");
        }

        private ReplDocument(string sourceName)
        {
            SourceName = sourceName;
        }

        private ReplEntry ParseEntryLine(string line, int lineNumber)
        {
            var match = EntryLine.Match(line);
            if(!match.Success)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"not a peripheral line: '{line}'");
            }
            var name = match.Groups["name"].Value;
            if(entries.Any(e => e.Name == name))
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"peripheral '{name}' is defined twice");
            }
            var typeName = match.Groups["type"].Success ? match.Groups["type"].Value : null;
            ReplRegistration registration = null;
            if(match.Groups["registration"].Success)
            {
                registration = ParseRegistration(match.Groups["registration"].Value.Trim(), lineNumber);
            }
            var entry = new ReplEntry(name, typeName, registration, lineNumber);
            entries.Add(entry);
            return entry;
        }

        private ReplRegistration ParseRegistration(string text, int lineNumber)
        {
            var match = RegistrationText.Match(text);
            if(!match.Success)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"registration '{text}' is not 'parent', 'parent address' or 'parent <address, +size>'");
            }
            var parent = match.Groups["parent"].Value;
            if(match.Groups["rangeStart"].Success)
            {
                return new ReplRegistration(parent, ParseNumber(match.Groups["rangeStart"].Value, lineNumber),
                    ParseNumber(match.Groups["rangeSize"].Value, lineNumber));
            }
            if(match.Groups["address"].Success)
            {
                return new ReplRegistration(parent, ParseNumber(match.Groups["address"].Value, lineNumber), null);
            }
            return new ReplRegistration(parent, null, null);
        }

        private void ParseBodyLine(ReplEntry entry, string line, int lineNumber)
        {
            var arrow = line.IndexOf("->", StringComparison.Ordinal);
            if(arrow >= 0 && !line.StartsWith("\"", StringComparison.Ordinal))
            {
                ParseConnection(entry, line.Substring(0, arrow).Trim(), line.Substring(arrow + 2).Trim(), lineNumber);
                return;
            }
            var match = AttributeLine.Match(line);
            if(!match.Success)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"not an attribute or connection: '{line}'");
            }
            var key = match.Groups["key"].Value;
            if(entry.Attributes.ContainsKey(key))
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"attribute '{key}' of '{entry.Name}' is given twice");
            }
            entry.AddAttribute(key, ParseValue(match.Groups["value"].Value.Trim(), lineNumber));
        }

        private ReplValue ParseValue(string text, int lineNumber)
        {
            if(text.Length >= 2 && text[0] == '"' && text[text.Length - 1] == '"' && text.IndexOf('"', 1) == text.Length - 1)
            {
                return ReplValue.String(text.Substring(1, text.Length - 2));
            }
            if(text == "true" || text == "false")
            {
                return ReplValue.Boolean(text == "true");
            }
            if(NumberText.IsMatch(text))
            {
                return ReplValue.Number(ParseSignedNumber(text, lineNumber), text);
            }
            if(Identifier.IsMatch(text))
            {
                return ReplValue.Reference(text);
            }
            if(EnumText.IsMatch(text))
            {
                return ReplValue.EnumMember(text);
            }
            throw new ReplSyntaxException(SourceName, lineNumber, $"value '{text}' is not a string, number, boolean, reference or Enum.Member");
        }

        private void ParseConnection(ReplEntry entry, string sourceText, string targetText, int lineNumber)
        {
            var target = ConnectionTarget.Match(targetText);
            if(!target.Success)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"connection target '{targetText}' is not 'peripheral@N' or 'peripheral@[...]'");
            }
            var targetName = target.Groups["target"].Value;
            var targetNumbers = ParseNumberList(target.Groups["numbers"].Value, lineNumber);
            if(sourceText.Length == 0 || Identifier.IsMatch(sourceText))
            {
                if(targetNumbers.Count != 1)
                {
                    throw new ReplSyntaxException(SourceName, lineNumber, "a named or default GPIO connects to exactly one target input");
                }
                entry.AddConnection(new ReplConnection(sourceText.Length == 0 ? null : sourceText, null, targetName, targetNumbers[0], lineNumber));
                return;
            }
            var sourceNumbers = ParseNumberList(sourceText, lineNumber);
            if(sourceNumbers.Count != targetNumbers.Count)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"{sourceNumbers.Count} outputs wired to {targetNumbers.Count} inputs");
            }
            for(var i = 0; i < sourceNumbers.Count; i++)
            {
                entry.AddConnection(new ReplConnection(null, sourceNumbers[i], targetName, targetNumbers[i], lineNumber));
            }
        }

        // "5", "[0, 1]", "[0-3]" or "[0-1, 4]" -> the numbers in order.
        private List<int> ParseNumberList(string text, int lineNumber)
        {
            text = text.Trim();
            var result = new List<int>();
            if(!text.StartsWith("[", StringComparison.Ordinal))
            {
                result.Add(ParseGpioNumber(text, lineNumber));
                return result;
            }
            if(!text.EndsWith("]", StringComparison.Ordinal))
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"unterminated list '{text}'");
            }
            foreach(var part in text.Substring(1, text.Length - 2).Split(','))
            {
                var item = part.Trim();
                var dash = item.IndexOf('-');
                if(dash > 0)
                {
                    var first = ParseGpioNumber(item.Substring(0, dash), lineNumber);
                    var last = ParseGpioNumber(item.Substring(dash + 1), lineNumber);
                    if(last < first)
                    {
                        throw new ReplSyntaxException(SourceName, lineNumber, $"descending range '{item}'");
                    }
                    for(var n = first; n <= last; n++)
                    {
                        result.Add(n);
                    }
                }
                else
                {
                    result.Add(ParseGpioNumber(item, lineNumber));
                }
            }
            return result;
        }

        private int ParseGpioNumber(string text, int lineNumber)
        {
            var value = ParseNumber(text.Trim(), lineNumber);
            if(value > int.MaxValue)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"GPIO number {text} is too large");
            }
            return (int)value;
        }

        private ulong ParseNumber(string text, int lineNumber)
        {
            text = text.Trim();
            var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if(!ok)
            {
                throw new ReplSyntaxException(SourceName, lineNumber, $"'{text}' is not a number");
            }
            return value;
        }

        private long ParseSignedNumber(string text, int lineNumber)
        {
            var negative = text.StartsWith("-", StringComparison.Ordinal);
            var magnitude = ParseNumber(negative ? text.Substring(1) : text, lineNumber);
            if(magnitude > long.MaxValue)
            {
                // Unsigned values above long.MaxValue keep their bits; ReplValue.Unsigned reads them back.
                return unchecked((long)magnitude);
            }
            return negative ? -(long)magnitude : (long)magnitude;
        }

        // Replaces comments by spaces, keeping newlines so line numbers stay right; quotes protect.
        private static string StripComments(string text)
        {
            var result = new char[text.Length];
            var inString = false;
            var inBlock = false;
            var inLine = false;
            for(var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                if(inLine)
                {
                    inLine = c != '\n';
                    result[i] = c == '\n' ? '\n' : ' ';
                    continue;
                }
                if(inBlock)
                {
                    if(c == '*' && next == '/')
                    {
                        inBlock = false;
                        result[i] = ' ';
                        result[++i] = ' ';
                        continue;
                    }
                    result[i] = c == '\n' ? '\n' : ' ';
                    continue;
                }
                if(c == '"')
                {
                    inString = !inString;
                }
                else if(!inString && c == '/' && next == '/')
                {
                    inLine = true;
                    result[i] = ' ';
                    continue;
                }
                else if(!inString && c == '/' && next == '*')
                {
                    inBlock = true;
                    result[i] = ' ';
                    result[++i] = ' ';
                    continue;
                }
                else if(c == '\n')
                {
                    inString = false;
                }
                result[i] = c;
            }
            return new string(result);
        }

        private readonly List<ReplEntry> entries = new List<ReplEntry>();
        private readonly List<ReplUsing> usings = new List<ReplUsing>();

        private static readonly Regex UsingLine = new Regex(@"^using\s+""(?<path>[^""]+)""\s*$");
        private static readonly Regex EntryLine = new Regex(
            @"^(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?<type>[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?\s*(@\s*(?<registration>[^{}]+))?$");
        private static readonly Regex RegistrationText = new Regex(
            @"^(?<parent>[A-Za-z_][A-Za-z0-9_.]*)(\s+((?<address>0[xX][0-9A-Fa-f]+|[0-9]+)|<\s*(?<rangeStart>0[xX][0-9A-Fa-f]+|[0-9]+)\s*,\s*\+\s*(?<rangeSize>0[xX][0-9A-Fa-f]+|[0-9]+)\s*>))?$");
        private static readonly Regex AttributeLine = new Regex(@"^(?<key>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?<value>\S.*)$");
        private static readonly Regex ConnectionTarget = new Regex(@"^(?<target>[A-Za-z_][A-Za-z0-9_.]*)\s*@\s*(?<numbers>\[[^\]]*\]|[0-9]+|0[xX][0-9A-Fa-f]+)$");
        private static readonly Regex NumberText = new Regex(@"^-?(0[xX][0-9A-Fa-f]+|[0-9]+)$");
        private static readonly Regex Identifier = new Regex(@"^[A-Za-z_][A-Za-z0-9_]*$");
        private static readonly Regex EnumText = new Regex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$");
    }
}
