namespace Antmicro.Renode.Utilities
{
    // Marker: TypeManager reports every type implementing it as soon as its assembly is scanned.
    public interface IAutoLoadType
    {
    }
}
