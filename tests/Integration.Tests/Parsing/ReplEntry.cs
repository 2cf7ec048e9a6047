using System.Collections.Generic;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // One peripheral of a .repl: its name, type (null when the entry only updates another), where
    // it is registered, its attributes in file order and its GPIO connections.
    public sealed class ReplEntry
    {
        public ReplEntry(string name, string typeName, ReplRegistration registration, int line)
        {
            Name = name;
            TypeName = typeName;
            Registration = registration;
            Line = line;
        }

        public string Name { get; }

        public string TypeName { get; }

        public ReplRegistration Registration { get; }

        public int Line { get; }

        public IReadOnlyDictionary<string, ReplValue> Attributes => attributes;

        public IReadOnlyList<string> AttributeOrder => attributeOrder;

        public IReadOnlyList<ReplConnection> Connections => connections;

        public bool IsOnSystemBus => Registration != null && Registration.Parent == "sysbus";

        public ReplValue Attribute(string key)
        {
            return attributes.TryGetValue(key, out var value)
                ? value
                : throw new KeyNotFoundException($"peripheral '{Name}' (line {Line}) has no attribute '{key}'");
        }

        public override string ToString()
        {
            return $"{Name}: {TypeName}";
        }

        internal void AddAttribute(string key, ReplValue value)
        {
            attributes.Add(key, value);
            attributeOrder.Add(key);
        }

        internal void AddConnection(ReplConnection connection)
        {
            connections.Add(connection);
        }

        private readonly Dictionary<string, ReplValue> attributes = new Dictionary<string, ReplValue>();
        private readonly List<string> attributeOrder = new List<string>();
        private readonly List<ReplConnection> connections = new List<ReplConnection>();
    }
}
