using Antmicro.Renode.Utilities;

namespace Antmicro.Renode.Core.Structure
{
    public interface IRegistrationPoint : IInterestingType
    {
        string PrettyString { get; }
    }
}
