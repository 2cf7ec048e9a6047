namespace AntShell.Commands
{
    // AntShell (antmicro/AntShell, AntShell/Commands/ICommandDescription.cs).
    public interface ICommandDescription
    {
        string Name { get; }

        string[] AlternativeNames { get; }

        string Description { get; }

        void PrintHelp(ICommandInteraction writer);
    }
}
