using System.Collections.Generic;
using System.Linq;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Integration.Tests.Rehearsal
{
    // Context 0 of a RISC-V PLIC as Renode's PlatformLevelInterruptController presents it to the
    // suites, for rehearsals only: source priorities at 4 * source, context 0's enable bits at
    // 0x2000, its claim/complete register at 0x200004. Behaviour as in renode-infrastructure's
    // PLIC/IrqContext.cs: a rising line makes an enabled source pending; a claim takes the pending
    // source of highest priority (lowest id on a tie), returns 0 when none; completing a source
    // whose line is still high makes it pending again.
    public sealed class RehearsalPlic : IDoubleWordPeripheral, IKnownSize, IGPIOReceiver
    {
        public RehearsalPlic(int numberOfSources)
        {
            sources = numberOfSources;
        }

        public long Size => 0x4000000;

        public void OnGPIO(int number, bool value)
        {
            levels[number] = value;
            if(value && enabled.Contains(number))
            {
                pending.Add(number);
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            if(offset == ClaimComplete)
            {
                var claimed = pending.OrderByDescending(Priority).ThenBy(s => s).FirstOrDefault();
                if(claimed == 0)
                {
                    return 0;
                }
                pending.Remove(claimed);
                active.Push(claimed);
                return (uint)claimed;
            }
            if(offset > 0 && offset <= 4 * sources && offset % 4 == 0)
            {
                return priorities.TryGetValue((int)(offset / 4), out var priority) ? priority : 0;
            }
            return 0;
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            if(offset == ClaimComplete)
            {
                if(active.Count > 0 && active.Peek() == (int)value)
                {
                    active.Pop();
                    if(levels.TryGetValue((int)value, out var level) && level)
                    {
                        pending.Add((int)value);
                    }
                    else
                    {
                        pending.Remove((int)value);
                    }
                }
                return;
            }
            if(offset >= Context0Enables && offset < Context0Enables + 0x80)
            {
                var first = (int)(offset - Context0Enables) * 8;
                for(var bit = 0; bit < 32; bit++)
                {
                    var source = first + bit;
                    if(source == 0 || source > sources)
                    {
                        continue;
                    }
                    if((value & (1u << bit)) != 0)
                    {
                        enabled.Add(source);
                        if(levels.TryGetValue(source, out var level) && level)
                        {
                            pending.Add(source);
                        }
                    }
                    else
                    {
                        enabled.Remove(source);
                        pending.Remove(source);
                    }
                }
                return;
            }
            if(offset > 0 && offset <= 4 * sources && offset % 4 == 0)
            {
                priorities[(int)(offset / 4)] = value & 7;
            }
        }

        public void Reset()
        {
            priorities.Clear();
            enabled.Clear();
            pending.Clear();
            active.Clear();
        }

        private uint Priority(int source)
        {
            return priorities.TryGetValue(source, out var priority) ? priority : 1;
        }

        private readonly int sources;
        private readonly Dictionary<int, uint> priorities = new Dictionary<int, uint>();
        private readonly Dictionary<int, bool> levels = new Dictionary<int, bool>();
        private readonly HashSet<int> enabled = new HashSet<int>();
        private readonly HashSet<int> pending = new HashSet<int>();
        private readonly Stack<int> active = new Stack<int>();

        private const long Context0Enables = 0x2000;
        private const long ClaimComplete = 0x200004;
    }
}
