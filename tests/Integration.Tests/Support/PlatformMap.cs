using System;
using System.Collections.Generic;
using System.Linq;
using Antmicro.Renode.Peripherals;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The system-bus address map of one or more .repl files loaded on top of each other: every
    // registered peripheral's range, with its size from the .repl (`<a, +size>` or MappedMemory's
    // `size:`), from the plugin class built by StandInBoard, or from StockPeripherals. A peripheral
    // whose size cannot be established is an error, not a gap in the map.
    public sealed class PlatformMap
    {
        public PlatformMap(StandInBoard board, params ReplDocument[] documents)
        {
            foreach(var document in documents)
            {
                foreach(var entry in document.Entries)
                {
                    Add(board, document, entry);
                }
            }
        }

        public IReadOnlyList<MappedRegion> Regions => regions;

        public IReadOnlyList<string> Problems => problems;

        public IEnumerable<MappedRegion> Memory => regions.Where(r => r.IsMemory);

        public MappedRegion Get(string name)
        {
            return regions.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"no region named '{name}'");
        }

        // Every pair of regions that share an address.
        public IEnumerable<(MappedRegion, MappedRegion)> Overlaps()
        {
            var sorted = regions.OrderBy(r => r.Start).ToList();
            for(var i = 0; i < sorted.Count; i++)
            {
                for(var j = i + 1; j < sorted.Count && sorted[j].Start < sorted[i].End; j++)
                {
                    yield return (sorted[i], sorted[j]);
                }
            }
        }

        private void Add(StandInBoard board, ReplDocument document, ReplEntry entry)
        {
            var where = $"{document.SourceName}:{entry.Line} ({entry.Name})";
            if(entry.TypeName == null)
            {
                problems.Add($"{where}: entries that only update another peripheral are not supported by this check");
                return;
            }
            if(entry.Registration == null)
            {
                problems.Add($"{where}: not registered anywhere");
                return;
            }
            if(!entry.IsOnSystemBus)
            {
                // Registered on another peripheral (e.g. a PHY on an Ethernet controller): not on the map.
                return;
            }
            if(!entry.Registration.Address.HasValue)
            {
                if(!StockPeripherals.RegistersWithoutAddress(entry.TypeName))
                {
                    problems.Add($"{where}: {entry.TypeName} registered on sysbus without an address");
                }
                return;
            }
            var start = entry.Registration.Address.Value;
            ulong size;
            string source;
            if(entry.Registration.ExplicitSize.HasValue)
            {
                size = entry.Registration.ExplicitSize.Value;
                source = "registration";
            }
            else if(entry.TypeName == StandInBoard.MappedMemoryType)
            {
                if(!entry.Attributes.TryGetValue("size", out var sizeValue) || sizeValue.Kind != ReplValueKind.Number)
                {
                    problems.Add($"{where}: Memory.MappedMemory needs a numeric size");
                    return;
                }
                size = sizeValue.AsUnsigned;
                source = "size attribute";
            }
            else if(board.Peripherals.TryGetValue(entry.Name, out var peripheral))
            {
                size = (ulong)((IKnownSize)peripheral).Size;
                source = $"{peripheral.GetType().Name}.Size";
            }
            else if(StockPeripherals.TryGetSize(entry.TypeName, out size))
            {
                source = "Renode source";
            }
            else
            {
                problems.Add($"{where}: no size known for {entry.TypeName}; add it to StockPeripherals from Renode's source");
                return;
            }
            if(size == 0 || start + size < start)
            {
                problems.Add($"{where}: range [0x{start:X}, +0x{size:X}) is empty or wraps");
                return;
            }
            regions.Add(new MappedRegion(entry.Name, entry.TypeName, start, size, entry.TypeName == StandInBoard.MappedMemoryType, source));
        }

        private readonly List<MappedRegion> regions = new List<MappedRegion>();
        private readonly List<string> problems = new List<string>();
    }
}
