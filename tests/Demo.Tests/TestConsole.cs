using System.IO;
using Spectre.Console;

namespace RenodeFrameAlloc.Demo.Tests
{
    // A Spectre console writing plain text to a string, as a redirected terminal would.
    public sealed class TestConsole
    {
        public TestConsole()
        {
            writer = new StringWriter();
            Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(writer)
            });
            Console.Profile.Width = 160;
        }

        public IAnsiConsole Console { get; }

        public string Text => writer.ToString();

        private readonly StringWriter writer;
    }
}
