using System.Collections.Generic;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals.Tests.Tlb
{
    // An initiator whose accesses carry a state, as a CPU's do (e.g. Cortex-M's secure state):
    // what the *WithState bus accesses need. Counts the conversions, which the system bus makes
    // once per access that reaches it.
    public sealed class StatefulInitiator : IBusPeripheral, IPeripheralWithTransactionState
    {
        public void Reset()
        {
        }

        public bool TryConvertStateObjToUlong(IContextState stateObj, out ulong? state)
        {
            Conversions++;
            state = stateObj is State known ? known.Value : null;
            return state.HasValue;
        }

        public bool TryConvertUlongToStateObj(ulong? state, out IContextState stateObj)
        {
            stateObj = state.HasValue ? new State(state.Value) : null;
            return state.HasValue;
        }

        public IReadOnlyDictionary<string, int> StateBits { get; } = new Dictionary<string, int> { { "secure", 0 } };

        public int Conversions { get; private set; }

        public sealed class State : IContextState
        {
            public State(ulong value)
            {
                Value = value;
            }

            public ulong Value { get; }
        }
    }
}
