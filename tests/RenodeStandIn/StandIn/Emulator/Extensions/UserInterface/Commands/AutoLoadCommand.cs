using Antmicro.Renode.Utilities;

namespace Antmicro.Renode.UserInterface.Commands
{
    // In Renode (Command.cs): a command the monitor instantiates by itself, with the monitor as the
    // constructor's argument, as soon as TypeManager finds the type in a loaded assembly.
    public abstract class AutoLoadCommand : Command, IAutoLoadType
    {
        protected AutoLoadCommand(Monitor monitor, string name, string description, params string[] alternativeNames) : base(monitor, name, description, alternativeNames)
        {
        }
    }
}
