using System.Collections.Generic;

namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // A test case or a user keyword: its name and its steps.
    public sealed class RobotBlock
    {
        public RobotBlock(string name, int line)
        {
            Name = name;
            Line = line;
        }

        public string Name { get; }

        public int Line { get; }

        public IReadOnlyList<RobotStep> Steps => steps;

        internal void AddStep(RobotStep step)
        {
            steps.Add(step);
        }

        private readonly List<RobotStep> steps = new List<RobotStep>();
    }
}
