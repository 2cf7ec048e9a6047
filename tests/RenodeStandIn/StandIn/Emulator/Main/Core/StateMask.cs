namespace Antmicro.Renode.Core
{
    // Which initiator states a conditional registration answers to.
    public readonly struct StateMask
    {
        public StateMask(ulong state, ulong mask)
        {
            State = state;
            Mask = mask;
        }

        public bool HasMaskBit(int position)
        {
            return (Mask & (1UL << position)) != 0;
        }

        public StateMask WithBitValue(int position, bool value)
        {
            var bit = 1UL << position;
            return new StateMask(State | (value ? bit : 0), Mask | bit);
        }

        public override string ToString()
        {
            return $"[StateMask: State={State:x}, Mask={Mask:x}]";
        }

        public readonly ulong State;
        public readonly ulong Mask;

        public static readonly StateMask AllAccess = new StateMask(0, 0);
    }
}
