// Renode declares this in the root namespace, not in Core or Peripherals.
namespace Antmicro.Renode
{
    public interface IEmulationElement
    {
    }
}
