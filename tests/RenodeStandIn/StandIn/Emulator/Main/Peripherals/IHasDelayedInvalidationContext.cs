namespace Antmicro.Renode.Peripherals
{
    // Renode declares this in DelayedInvalidationContext.cs.
    public interface IHasDelayedInvalidationContext
    {
        DelayedInvalidationContext EnterDelayedInvalidationContext();

        void SetDelayedInvalidation(bool value);
    }
}
