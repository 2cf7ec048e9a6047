using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Time;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests.Rehearsal
{
    // The monitor commands the suites send, answered by a StandInBoard instead of Renode, for
    // rehearsals: include of .resc scripts (with $ORIGIN and $variables) and of the plugin's .cs
    // files (already compiled into the stand-in), mach create/set, LoadPlatformDescription,
    // showAnalyzer, sysbus Read/Write Double/QuadWord (answers formatted as Renode's monitor prints
    // them), the CPU's PC, peripherals, emulation RunFor (the stand-in's virtual clock) and
    // property writes on a peripheral. Renode's PLIC is played by RehearsalPlic; its CPU, CLINT and
    // UART are not modelled (accesses to them are refused). A command outside this list throws
    // RehearsalUnsupportedException: the rehearsal never pretends.
    public sealed class RehearsalMonitor
    {
        public RehearsalMonitor(string scriptDirectory = null)
        {
            originStack.Push(scriptDirectory);
        }

        public StandInBoard Board { get; private set; }

        public string Execute(string line)
        {
            if(!MonitorScript.TryTokenize(line, out var tokens, out var error))
            {
                if(error != null)
                {
                    throw new InvalidOperationException($"{error}: {line}");
                }
                return string.Empty;
            }
            if(tokens.Count == 3 && tokens[0].StartsWith("$", StringComparison.Ordinal) && (tokens[1] == "?=" || tokens[1] == "="))
            {
                if(tokens[1] == "=" || !variables.ContainsKey(tokens[0].Substring(1)))
                {
                    variables[tokens[0].Substring(1)] = Unquote(tokens[2]);
                }
                return string.Empty;
            }
            var conditional = ConditionalAssignment(tokens);
            if(conditional != null)
            {
                return conditional;
            }
            tokens = tokens.Select(Expand).ToList();
            switch(tokens[0])
            {
            case "include":
            case "i":
                foreach(var path in tokens.Skip(1))
                {
                    Include(ResolvePath(path));
                }
                return string.Empty;
            case "using":
                return string.Empty;
            case "mach":
                return Machine(tokens);
            case "machine":
                return MachineCommand(tokens);
            case "showAnalyzer":
                RequirePeripheral(tokens.Count > 1 ? tokens[1] : string.Empty);
                return string.Empty;
            case "peripherals":
                return string.Join("\n", RequireBoard().EntryNames);
            case "emulation":
                return Emulation(tokens);
            case "sysbus":
                return SystemBus(tokens);
            case "sysbus.cpu":
                return Cpu(tokens);
            default:
                if(tokens[0].StartsWith("sysbus.", StringComparison.Ordinal))
                {
                    return PeripheralMember(tokens);
                }
                throw new RehearsalUnsupportedException($"monitor command '{line}'");
            }
        }

        // `$name?="value"` written without spaces, as scripts do.
        private string ConditionalAssignment(List<string> tokens)
        {
            if(tokens.Count != 1 || !tokens[0].StartsWith("$", StringComparison.Ordinal))
            {
                return null;
            }
            var text = tokens[0];
            var conditional = text.IndexOf("?=", StringComparison.Ordinal);
            var plain = text.IndexOf('=');
            if(plain < 0)
            {
                return null;
            }
            var name = text.Substring(1, conditional > 0 ? conditional - 1 : plain - 1);
            var value = Unquote(text.Substring(conditional > 0 ? conditional + 2 : plain + 1));
            if(conditional < 0 || !variables.ContainsKey(name))
            {
                variables[name] = value;
            }
            return string.Empty;
        }

        private void Include(string path)
        {
            if(!File.Exists(path))
            {
                throw new FileNotFoundException($"include: no such file {path}");
            }
            if(path.EndsWith(".cs", StringComparison.Ordinal))
            {
                // The plugin is compiled into the stand-in assembly the rehearsal runs on.
                return;
            }
            if(!path.EndsWith(".resc", StringComparison.Ordinal))
            {
                throw new RehearsalUnsupportedException($"include of {path}");
            }
            originStack.Push(Path.GetDirectoryName(path));
            try
            {
                foreach(var raw in File.ReadAllLines(path))
                {
                    var line = raw.Trim();
                    if(line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal) || line.StartsWith(":", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    Execute(line);
                }
            }
            finally
            {
                originStack.Pop();
            }
        }

        private string Machine(List<string> tokens)
        {
            if(tokens.Count == 3 && tokens[1] == "create")
            {
                if(machineName != null)
                {
                    throw new RehearsalUnsupportedException("a second machine");
                }
                machineName = Unquote(tokens[2]);
                return string.Empty;
            }
            if(tokens.Count == 3 && tokens[1] == "set" && Unquote(tokens[2]) == machineName)
            {
                return string.Empty;
            }
            throw new RehearsalUnsupportedException($"mach {string.Join(" ", tokens.Skip(1))}");
        }

        private string MachineCommand(List<string> tokens)
        {
            if(tokens.Count == 3 && tokens[1] == "LoadPlatformDescription")
            {
                if(machineName == null)
                {
                    throw new InvalidOperationException("LoadPlatformDescription before mach create");
                }
                if(Board != null)
                {
                    throw new RehearsalUnsupportedException("a second platform description on top of the first (Renode's stock models are not modelled)");
                }
                var document = ReplDocument.Load(ResolvePath(tokens[2]));
                Board = new StandInBoard(new[] { document }, StockModel);
                return string.Empty;
            }
            throw new RehearsalUnsupportedException($"machine {string.Join(" ", tokens.Skip(1))}");
        }

        private string Emulation(List<string> tokens)
        {
            if(tokens.Count == 3 && tokens[1] == "RunFor")
            {
                var seconds = double.Parse(Unquote(tokens[2]), CultureInfo.InvariantCulture);
                RequireBoard().Machine.AdvanceTime(TimeInterval.FromSeconds(seconds));
                return string.Empty;
            }
            throw new RehearsalUnsupportedException($"emulation {string.Join(" ", tokens.Skip(1))}");
        }

        private string SystemBus(List<string> tokens)
        {
            var bus = RequireBoard().Bus;
            if(tokens.Count == 4 && tokens[1] == "WriteDoubleWord")
            {
                var address = Number(tokens[2]);
                RefuseUnmodelled(address);
                bus.WriteDoubleWord(address, checked((uint)Number(tokens[3])));
                return string.Empty;
            }
            if(tokens.Count == 4 && tokens[1] == "WriteQuadWord")
            {
                var address = Number(tokens[2]);
                RefuseUnmodelled(address);
                bus.WriteQuadWord(address, Number(tokens[3]));
                return string.Empty;
            }
            if(tokens.Count == 3 && tokens[1] == "ReadDoubleWord")
            {
                var address = Number(tokens[2]);
                RefuseUnmodelled(address);
                return $"0x{bus.ReadDoubleWord(address):X8}\n";
            }
            if(tokens.Count == 3 && tokens[1] == "ReadQuadWord")
            {
                var address = Number(tokens[2]);
                RefuseUnmodelled(address);
                return $"0x{bus.ReadQuadWord(address):X16}\n";
            }
            throw new RehearsalUnsupportedException($"sysbus {string.Join(" ", tokens.Skip(1))}");
        }

        private string Cpu(List<string> tokens)
        {
            RequireBoard();
            if(tokens.Count == 3 && tokens[1] == "PC")
            {
                programCounter = Number(tokens[2]);
                return string.Empty;
            }
            if(tokens.Count == 2 && tokens[1] == "PC")
            {
                // The hart is not modelled: it is where it was put (the boot ROM's idle loop).
                return $"0x{programCounter:X}\n";
            }
            throw new RehearsalUnsupportedException($"sysbus.cpu {string.Join(" ", tokens.Skip(1))}");
        }

        private string PeripheralMember(List<string> tokens)
        {
            var peripheral = RequirePeripheral(tokens[0]) ?? throw new RehearsalUnsupportedException($"{tokens[0]} (a Renode model the rehearsal does not have)");
            if(tokens.Count == 3)
            {
                var property = peripheral.GetType().GetProperty(tokens[1], BindingFlags.Public | BindingFlags.Instance);
                if(property != null && property.CanWrite)
                {
                    var value = property.PropertyType == typeof(bool)
                        ? bool.Parse(tokens[2])
                        : Convert.ChangeType(Number(tokens[2]), property.PropertyType, CultureInfo.InvariantCulture);
                    property.SetValue(peripheral, value);
                    return string.Empty;
                }
            }
            if(tokens.Count == 2)
            {
                // A method without arguments (e.g. `dmacheck Findings`): its string or nothing.
                var method = peripheral.GetType().GetMethod(tokens[1], BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
                if(method != null && (method.ReturnType == typeof(void) || method.ReturnType == typeof(string)))
                {
                    var result = method.Invoke(peripheral, null);
                    return result == null ? string.Empty : result + "\n";
                }
            }
            throw new RehearsalUnsupportedException($"{string.Join(" ", tokens)}");
        }

        private IPeripheral RequirePeripheral(string name)
        {
            var local = name.StartsWith("sysbus.", StringComparison.Ordinal) ? name.Substring("sysbus.".Length) : name;
            var board = RequireBoard();
            if(!board.Peripherals.TryGetValue(local, out var peripheral))
            {
                if(board.EntryNames.Contains(local))
                {
                    // A Renode model the rehearsal does not build (e.g. the UART an analyzer shows).
                    return null;
                }
                throw new InvalidOperationException($"no peripheral {name}");
            }
            return peripheral;
        }

        private StandInBoard RequireBoard()
        {
            return Board ?? throw new InvalidOperationException("no platform loaded");
        }

        // Renode models the rehearsal does not have: accesses to them would be answered by nothing.
        private void RefuseUnmodelled(ulong address)
        {
            foreach(var region in unmodelled)
            {
                if(address >= region.Start && address < region.Start + region.Size)
                {
                    throw new RehearsalUnsupportedException($"access to 0x{address:X}, {region.Name} (a Renode model the rehearsal does not have)");
                }
            }
        }

        private IPeripheral StockModel(ReplEntry entry)
        {
            if(entry.TypeName == "IRQControllers.PlatformLevelInterruptController")
            {
                return new RehearsalPlic((int)entry.Attribute("numberOfSources").AsNumber);
            }
            if(entry.Registration?.Address != null && StockPeripherals.TryGetSize(entry.TypeName, out var size))
            {
                unmodelled.Add((entry.Name, entry.Registration.Address.Value, size));
            }
            return null;
        }

        private string ResolvePath(string token)
        {
            if(token.StartsWith("@", StringComparison.Ordinal))
            {
                var path = token.Substring(1);
                if(!Path.IsPathRooted(path))
                {
                    throw new RehearsalUnsupportedException($"'{token}' is relative to Renode's installation");
                }
                return Path.GetFullPath(path);
            }
            if(token.StartsWith(OriginPrefix, StringComparison.Ordinal))
            {
                var origin = originStack.Peek() ?? throw new InvalidOperationException("$ORIGIN outside a script");
                return Path.GetFullPath(Path.Combine(origin, token.Substring(OriginPrefix.Length)));
            }
            throw new InvalidOperationException($"'{token}' is not a path");
        }

        private string Expand(string token)
        {
            if(token.StartsWith(OriginPrefix, StringComparison.Ordinal) || !token.StartsWith("$", StringComparison.Ordinal))
            {
                return token;
            }
            var name = token.Substring(1);
            return variables.TryGetValue(name, out var value) ? $"\"{value}\"" : throw new InvalidOperationException($"monitor variable {token} is not set");
        }

        private static ulong Number(string token)
        {
            var text = Unquote(token);
            return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        private static string Unquote(string token)
        {
            return token.Length >= 2 && token[0] == '"' && token[token.Length - 1] == '"' ? token.Substring(1, token.Length - 2) : token;
        }

        private string machineName;
        private ulong programCounter;
        private readonly Dictionary<string, string> variables = new Dictionary<string, string>();
        private readonly Stack<string> originStack = new Stack<string>();
        private readonly List<(string Name, ulong Start, ulong Size)> unmodelled = new List<(string, ulong, ulong)>();

        private const string OriginPrefix = "$ORIGIN/";
    }
}
