namespace Antmicro.Renode.Core.Structure
{
    public interface IRegistrationPoint
    {
        string PrettyString { get; }
    }
}
