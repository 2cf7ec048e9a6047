namespace Antmicro.Renode.UserInterface
{
    // Renode's monitor (partial, ICommandHandler, IHasPreservableState in Renode). The plugin only
    // receives it in a command's constructor and hands it to the base; no member is used.
    public partial class Monitor
    {
    }
}
