using System.Collections.Generic;

namespace Antmicro.Renode.Peripherals
{
    // An initiator whose bus accesses carry a state (IContextState): the *WithState accesses of
    // Renode's SystemBus convert it through this, and fail for any other initiator.
    public interface IPeripheralWithTransactionState : IPeripheral
    {
        IReadOnlyDictionary<string, int> StateBits { get; }

        bool TryConvertStateObjToUlong(IContextState stateObj, out ulong? state);

        bool TryConvertUlongToStateObj(ulong? state, out IContextState stateObj);
    }
}
