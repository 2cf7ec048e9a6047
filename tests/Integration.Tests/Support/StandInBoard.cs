using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Integration.Tests.Parsing;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.StandIn.Testing;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The platform's own peripherals (the plugin's types), built from the .repl the way Renode's
    // platform loader builds them: the type is Antmicro.Renode.Peripherals.<Type>; attributes bind
    // to constructor parameters of the same name (IMachine parameters get the machine), and the
    // rest to settable properties; a reference attribute names another peripheral of the .repl.
    // Then each is mapped on an in-memory bus at its registration, the Memory.MappedMemory blocks
    // become RAM, and every GPIO connection is made to a recorder, so the .repl's names are proven
    // against the real adapter classes. Renode's stock peripherals (CPU, CLINT, PLIC, UART, ...)
    // are not built: Renode is not here; their sizes come from StockPeripherals.
    public sealed class StandInBoard
    {
        public StandInBoard(params ReplDocument[] documents) : this(documents, null)
        {
        }

        // stockModels: optional stand-ins for Renode's own peripherals (by .repl entry; null for
        // none), mapped like the plugin's and receiving the GPIO connections aimed at them.
        public StandInBoard(IEnumerable<ReplDocument> documents, Func<ReplEntry, IPeripheral> stockModels)
        {
            entries = documents.SelectMany(d => d.Entries).ToList();
            var memory = entries.Where(e => e.TypeName == MappedMemoryType && e.IsOnSystemBus)
                .Select(e => new BusRange(e.Name, e.Registration.Address.Value, e.Attribute("size").AsUnsigned))
                .ToList();
            Ram = new PhysicalRam(memory);
            Bus = new InMemoryBus(Ram);
            Machine = new VirtualTimeMachine(Bus);
            foreach(var entry in entries.Where(e => IsPluginType(e.TypeName)))
            {
                Build(entry, new HashSet<string>());
            }
            foreach(var entry in entries.Where(e => !IsPluginType(e.TypeName) && e.TypeName != MappedMemoryType))
            {
                var model = stockModels?.Invoke(entry);
                if(model != null)
                {
                    built.Add(entry.Name, model);
                }
            }
            foreach(var entry in entries.Where(e => built.ContainsKey(e.Name)))
            {
                Map(entry);
                if(IsPluginType(entry.TypeName))
                {
                    Connect(entry);
                }
            }
        }

        public PhysicalRam Ram { get; }

        public InMemoryBus Bus { get; }

        public VirtualTimeMachine Machine { get; }

        public IReadOnlyDictionary<string, IPeripheral> Peripherals => built;

        // Every peripheral of the .repl, built or not, in file order.
        public IEnumerable<string> EntryNames => entries.Select(e => e.Name);

        // Level of input `number` of `target` as last driven through a .repl connection.
        public bool InputLevel(string target, int number)
        {
            return receivers.TryGetValue(target, out var receiver) && receiver.Level(number);
        }

        // The .repl entries whose type this plugin defines.
        public static bool IsPluginType(string typeName)
        {
            return typeName != null && FindPluginType(typeName) != null;
        }

        public static Type FindPluginType(string typeName)
        {
            return typeof(Antmicro.Renode.Peripherals.Miscellaneous.FramePoolDevice).Assembly.GetType(PeripheralNamespace + typeName);
        }

        private IPeripheral Build(ReplEntry entry, HashSet<string> inProgress)
        {
            if(built.TryGetValue(entry.Name, out var existing))
            {
                return existing;
            }
            if(!inProgress.Add(entry.Name))
            {
                throw new InvalidOperationException($"'{entry.Name}' refers to itself through its attributes");
            }
            var type = FindPluginType(entry.TypeName);
            var candidates = new List<string>();
            foreach(var constructor in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
            {
                if(TryBind(entry, type, constructor, inProgress, out var arguments, out var properties, out var why))
                {
                    var instance = (IPeripheral)constructor.Invoke(arguments);
                    foreach(var (property, value) in properties)
                    {
                        property.SetValue(instance, value);
                    }
                    built.Add(entry.Name, instance);
                    Machine.SetLocalName(instance, entry.Name);
                    inProgress.Remove(entry.Name);
                    return instance;
                }
                candidates.Add($"{constructor}: {why}");
            }
            throw new InvalidOperationException($"{entry} (line {entry.Line}): no constructor of {type.Name} takes these attributes:\n  " + string.Join("\n  ", candidates));
        }

        private bool TryBind(ReplEntry entry, Type type, ConstructorInfo constructor, HashSet<string> inProgress,
            out object[] arguments, out List<(PropertyInfo, object)> properties, out string why)
        {
            var parameters = constructor.GetParameters();
            arguments = new object[parameters.Length];
            properties = new List<(PropertyInfo, object)>();
            why = null;
            var used = new HashSet<string>();
            for(var i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                if(typeof(IMachine).IsAssignableFrom(parameter.ParameterType))
                {
                    arguments[i] = Machine;
                    continue;
                }
                if(entry.Attributes.TryGetValue(parameter.Name, out var value))
                {
                    if(!TryConvert(value, parameter.ParameterType, inProgress, out arguments[i], out why))
                    {
                        why = $"parameter {parameter.Name}: {why}";
                        return false;
                    }
                    used.Add(parameter.Name);
                    continue;
                }
                if(!parameter.HasDefaultValue)
                {
                    why = $"required parameter '{parameter.Name}' is not given";
                    return false;
                }
                arguments[i] = parameter.DefaultValue;
            }
            foreach(var key in entry.AttributeOrder.Where(k => !used.Contains(k)))
            {
                var property = type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance);
                if(property == null || !property.CanWrite || property.SetMethod?.IsPublic != true)
                {
                    why = $"attribute '{key}' is neither a constructor parameter nor a settable property";
                    return false;
                }
                if(!TryConvert(entry.Attributes[key], property.PropertyType, inProgress, out var converted, out why))
                {
                    why = $"property {key}: {why}";
                    return false;
                }
                properties.Add((property, converted));
            }
            return true;
        }

        private bool TryConvert(ReplValue value, Type target, HashSet<string> inProgress, out object converted, out string why)
        {
            converted = null;
            why = null;
            var underlying = Nullable.GetUnderlyingType(target) ?? target;
            switch(value.Kind)
            {
            case ReplValueKind.String when underlying == typeof(string):
                converted = value.Text;
                return true;
            case ReplValueKind.Boolean when underlying == typeof(bool):
                converted = value.AsBoolean;
                return true;
            case ReplValueKind.Number when IsInteger(underlying):
                try
                {
                    converted = underlying == typeof(ulong)
                        ? value.AsUnsigned
                        : Convert.ChangeType(value.AsNumber, underlying, CultureInfo.InvariantCulture);
                    return true;
                }
                catch(OverflowException)
                {
                    why = $"{value.Text} does not fit {underlying.Name}";
                    return false;
                }
            case ReplValueKind.EnumMember when underlying.IsEnum:
            {
                var dot = value.Text.LastIndexOf('.');
                var typeName = value.Text.Substring(0, dot);
                if(typeName != underlying.Name || !Enum.IsDefined(underlying, value.Text.Substring(dot + 1)))
                {
                    why = $"{value.Text} is not a member of {underlying.Name}";
                    return false;
                }
                converted = Enum.Parse(underlying, value.Text.Substring(dot + 1));
                return true;
            }
            case ReplValueKind.Reference:
            {
                var referenced = entries.FirstOrDefault(e => e.Name == value.Text);
                if(referenced == null)
                {
                    why = $"'{value.Text}' names no peripheral of the platform";
                    return false;
                }
                if(!IsPluginType(referenced.TypeName))
                {
                    why = $"'{value.Text}' is a {referenced.TypeName}, which the stand-in cannot build";
                    return false;
                }
                var instance = Build(referenced, inProgress);
                if(!target.IsInstanceOfType(instance))
                {
                    why = $"'{value.Text}' is a {instance.GetType().Name}, not a {target.Name}";
                    return false;
                }
                converted = instance;
                return true;
            }
            default:
                why = $"a {value.Kind} ({value}) cannot be a {target.Name}";
                return false;
            }
        }

        private void Map(ReplEntry entry)
        {
            var peripheral = built[entry.Name];
            if(!entry.IsOnSystemBus || !entry.Registration.Address.HasValue)
            {
                throw new InvalidOperationException($"{entry} (line {entry.Line}) must be registered on sysbus at an address");
            }
            if(!(peripheral is IKnownSize known))
            {
                throw new InvalidOperationException($"{entry} is not IKnownSize: a .repl must give its size");
            }
            var size = entry.Registration.ExplicitSize ?? (ulong)known.Size;
            if(!IsPluginType(entry.TypeName) && StockPeripherals.TryGetSize(entry.TypeName, out var stockSize) && entry.Registration.ExplicitSize == null && stockSize != size)
            {
                throw new InvalidOperationException($"{entry}: the stand-in model is 0x{size:X} bytes, Renode's 0x{stockSize:X}");
            }
            Bus.Register((IBusPeripheral)peripheral, new BusRangeRegistration(entry.Registration.Address.Value, size));
        }

        private void Connect(ReplEntry entry)
        {
            var peripheral = built[entry.Name];
            foreach(var connection in entry.Connections)
            {
                IGPIO line;
                if(connection.SourceNumber.HasValue)
                {
                    if(!(peripheral is INumberedGPIOOutput numbered) || !numbered.Connections.TryGetValue(connection.SourceNumber.Value, out line))
                    {
                        throw new InvalidOperationException($"{entry}: {connection}: {peripheral.GetType().Name} has no numbered output {connection.SourceNumber}");
                    }
                }
                else if(connection.SourceName != null)
                {
                    var property = peripheral.GetType().GetProperty(connection.SourceName, BindingFlags.Public | BindingFlags.Instance);
                    if(property == null || !typeof(IGPIO).IsAssignableFrom(property.PropertyType))
                    {
                        throw new InvalidOperationException($"{entry}: {connection}: {peripheral.GetType().Name} has no GPIO property '{connection.SourceName}'");
                    }
                    line = (IGPIO)property.GetValue(peripheral);
                }
                else
                {
                    throw new InvalidOperationException($"{entry}: {connection}: name the GPIO (e.g. IRQ -> ...) so the wiring does not depend on Renode's default-GPIO rule");
                }
                if(built.TryGetValue(connection.Target, out var target) && target is IGPIOReceiver model)
                {
                    line.Connect(model, connection.TargetNumber);
                    continue;
                }
                if(!receivers.TryGetValue(connection.Target, out var receiver))
                {
                    receiver = new RecordingReceiver();
                    receivers.Add(connection.Target, receiver);
                }
                line.Connect(receiver, connection.TargetNumber);
            }
        }

        private static bool IsInteger(Type type)
        {
            return type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong)
                || type == typeof(short) || type == typeof(ushort) || type == typeof(byte) || type == typeof(sbyte);
        }

        private readonly List<ReplEntry> entries;
        private readonly Dictionary<string, IPeripheral> built = new Dictionary<string, IPeripheral>();
        private readonly Dictionary<string, RecordingReceiver> receivers = new Dictionary<string, RecordingReceiver>();

        private const string PeripheralNamespace = "Antmicro.Renode.Peripherals.";
        public const string MappedMemoryType = "Memory.MappedMemory";

        // Stands for the PLIC or CPU input side: remembers each input's level.
        private sealed class RecordingReceiver : IGPIOReceiver
        {
            public void OnGPIO(int number, bool value)
            {
                levels[number] = value;
            }

            public bool Level(int number)
            {
                return levels.TryGetValue(number, out var level) && level;
            }

            public void Reset()
            {
                levels.Clear();
            }

            private readonly Dictionary<int, bool> levels = new Dictionary<int, bool>();
        }
    }
}
