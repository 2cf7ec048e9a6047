using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace RenodeFrameAlloc.Tests.Model
{
    // Builds a Require message only when the condition failed: the model checks every frame after
    // every step, and formatting all those messages eagerly would dominate the run time.
    [InterpolatedStringHandler]
    public ref struct ViolationMessage
    {
        public ViolationMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
        {
            builder = condition ? null : new StringBuilder(literalLength + 16 * formattedCount);
            shouldAppend = !condition;
        }

        public void AppendLiteral(string text)
        {
            builder.Append(text);
        }

        public void AppendFormatted<T>(T value)
        {
            builder.Append(value);
        }

        public void AppendFormatted<T>(T value, string format)
        {
            builder.Append(value is IFormattable formattable ? formattable.ToString(format, null) : value?.ToString());
        }

        public override string ToString()
        {
            return builder?.ToString() ?? string.Empty;
        }

        private readonly StringBuilder builder;
    }
}
