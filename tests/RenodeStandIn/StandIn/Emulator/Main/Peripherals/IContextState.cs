namespace Antmicro.Renode.Peripherals
{
    // The transaction state (e.g. a CPU's security state) the *WithState bus accesses carry.
    public interface IContextState
    {
    }
}
