using System;
using System.Collections.Generic;
using System.Globalization;

namespace RenodeFrameAlloc.Frames
{
    // A bounded window of physical memory that one set of bus masters can reach,
    // e.g. "isa" [0, 16 MiB) for 24-bit engines. Each range gets its own FrameList.
    public sealed class BusRange
    {
        public const ulong DefaultPageSize = 4096;

        public BusRange(string name, ulong baseAddress, ulong size, ulong pageSize = DefaultPageSize)
        {
            Name = name;
            Base = baseAddress;
            Size = size;
            PageSize = pageSize;
        }

        public string Name { get; }
        public ulong Base { get; }
        public ulong Size { get; }
        public ulong PageSize { get; }

        // Exclusive; saturates at ulong.MaxValue for a range that ends at the top of the address space.
        public ulong End => Size > ulong.MaxValue - Base ? ulong.MaxValue : Base + Size;

        public bool Contains(ulong address)
        {
            return address >= Base && address - Base < Size;
        }

        // Parses a layout as a platform description writes it: entries separated by ';' or ',',
        // each "name@base+size" or "name@base+size/pagesize"; numbers decimal or 0x-hex, with an
        // optional K, M or G suffix (binary). Example: "isa@0x0+16M; dma32@16M+4080M; high@4G+4G".
        // Returns false with a message naming the bad entry; nothing is validated beyond syntax.
        public static bool TryParseList(string text, out BusRange[] ranges, out string error)
        {
            ranges = Array.Empty<BusRange>();
            error = null;
            var result = new List<BusRange>();
            foreach(var raw in (text ?? string.Empty).Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var entry = raw.Trim();
                if(entry.Length == 0)
                {
                    continue;
                }
                var at = entry.IndexOf('@');
                var plus = entry.IndexOf('+', at + 1);
                var slash = entry.IndexOf('/', plus + 1);
                if(at <= 0 || plus < 0)
                {
                    error = $"range '{entry}' is not of the form name@base+size[/pagesize]";
                    return false;
                }
                var name = entry.Substring(0, at).Trim();
                if(!TryParseNumber(entry.Substring(at + 1, plus - at - 1), out var baseAddress)
                    || !TryParseNumber(slash < 0 ? entry.Substring(plus + 1) : entry.Substring(plus + 1, slash - plus - 1), out var size))
                {
                    error = $"range '{entry}': base or size is not a number";
                    return false;
                }
                var pageSize = DefaultPageSize;
                if(slash >= 0 && !TryParseNumber(entry.Substring(slash + 1), out pageSize))
                {
                    error = $"range '{entry}': page size is not a number";
                    return false;
                }
                result.Add(new BusRange(name, baseAddress, size, pageSize));
            }
            if(result.Count == 0)
            {
                error = "no ranges given";
                return false;
            }
            ranges = result.ToArray();
            return true;
        }

        public static bool TryParseNumber(string text, out ulong value)
        {
            value = 0;
            var s = (text ?? string.Empty).Trim().Replace("_", string.Empty);
            if(s.Length == 0)
            {
                return false;
            }
            var shift = 0;
            switch(char.ToUpperInvariant(s[s.Length - 1]))
            {
            case 'K':
                shift = 10;
                break;
            case 'M':
                shift = 20;
                break;
            case 'G':
                shift = 30;
                break;
            }
            if(shift != 0)
            {
                s = s.Substring(0, s.Length - 1);
            }
            var parsed = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(s.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
                : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if(!parsed || (shift != 0 && value > ulong.MaxValue >> shift))
            {
                return false;
            }
            value <<= shift;
            return true;
        }

        public override string ToString()
        {
            return $"{Name} [0x{Base:X}, 0x{End:X}) page 0x{PageSize:X}";
        }
    }
}
