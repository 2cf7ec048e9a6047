namespace Antmicro.Renode.Utilities
{
    // Marker Renode uses to pick types for its monitor and .repl machinery.
    public interface IInterestingType
    {
    }
}
