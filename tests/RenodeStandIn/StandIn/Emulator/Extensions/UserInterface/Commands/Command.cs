using AntShell.Commands;

namespace Antmicro.Renode.UserInterface.Commands
{
    // Renode's base of monitor commands: a [Runnable] method of a subclass is what the monitor
    // calls when the command's name is typed.
    public abstract class Command : ICommandDescription
    {
        public virtual void PrintHelp(ICommandInteraction writer)
        {
            writer.WriteLine(this.GetHelp());
        }

        public string[] AlternativeNames { get; private set; }

        public string Name { get; private set; }

        public string Description { get; private set; }

        protected Command(Monitor monitor, string name, string description, params string[] alternativeNames)
        {
            this.monitor = monitor;
            Description = description;
            Name = name;
            AlternativeNames = alternativeNames;
        }

        protected readonly Monitor monitor;
    }
}
