using System.Collections.Generic;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // One logical line of a Robot file (continuations joined): its cells and where it starts.
    public sealed class RobotStep
    {
        public RobotStep(int line, string section, IReadOnlyList<string> cells)
        {
            Line = line;
            Section = section;
            this.cells = new List<string>(cells);
        }

        public int Line { get; }

        // "settings", "variables", "testcases" or "keywords".
        public string Section { get; }

        public IReadOnlyList<string> Cells => cells;

        public override string ToString()
        {
            return $"line {Line}: {string.Join(" | ", cells)}";
        }

        internal void Append(IEnumerable<string> more)
        {
            cells.AddRange(more);
        }

        private readonly List<string> cells;
    }
}
