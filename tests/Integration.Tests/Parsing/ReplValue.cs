using System;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // An attribute value as written in a .repl.
    public sealed class ReplValue
    {
        public static ReplValue String(string text)
        {
            return new ReplValue(ReplValueKind.String, text, 0, false);
        }

        public static ReplValue Number(long value, string text)
        {
            return new ReplValue(ReplValueKind.Number, text, value, false);
        }

        public static ReplValue Boolean(bool value)
        {
            return new ReplValue(ReplValueKind.Boolean, value ? "true" : "false", 0, value);
        }

        public static ReplValue Reference(string name)
        {
            return new ReplValue(ReplValueKind.Reference, name, 0, false);
        }

        public static ReplValue EnumMember(string text)
        {
            return new ReplValue(ReplValueKind.EnumMember, text, 0, false);
        }

        public ReplValueKind Kind { get; }

        // The text as written (without quotes for strings).
        public string Text { get; }

        public long AsNumber => Kind == ReplValueKind.Number ? number : throw new InvalidOperationException($"'{Text}' is a {Kind}, not a number");

        // The number's 64 bits read as unsigned (sizes and addresses above 2^63 keep their value).
        public ulong AsUnsigned => unchecked((ulong)AsNumber);

        public bool AsBoolean => Kind == ReplValueKind.Boolean ? boolean : throw new InvalidOperationException($"'{Text}' is a {Kind}, not a boolean");

        public override string ToString()
        {
            return Kind == ReplValueKind.String ? $"\"{Text}\"" : Text;
        }

        private ReplValue(ReplValueKind kind, string text, long number, bool boolean)
        {
            Kind = kind;
            Text = text;
            this.number = number;
            this.boolean = boolean;
        }

        private readonly long number;
        private readonly bool boolean;
    }
}
