namespace Antmicro.Renode.Core
{
    public interface IIdentifiable
    {
        int UniqueObjectId { get; }
    }
}
