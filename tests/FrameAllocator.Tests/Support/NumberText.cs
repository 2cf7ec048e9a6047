using System;
using System.Text.RegularExpressions;

namespace RenodeFrameAlloc.Tests
{
    // Error messages must carry the numbers involved; a number may be written in decimal or as 0x-hex.
    public static class NumberText
    {
        public static bool Mentions(string text, ulong value)
        {
            if(string.IsNullOrEmpty(text))
            {
                return false;
            }
            var dec = new Regex($@"(?<![0-9A-Za-z]){value}(?![0-9])");
            var hex = new Regex($@"0x0*{value:X}(?![0-9A-Fa-f])", RegexOptions.IgnoreCase);
            return dec.IsMatch(text) || hex.IsMatch(text);
        }

        public static bool Mentions(string text, long value)
        {
            return value >= 0 ? Mentions(text, (ulong)value) : text != null && text.Contains(value.ToString(), StringComparison.Ordinal);
        }
    }
}
