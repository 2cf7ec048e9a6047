using System;
using System.IO;

namespace AntShell.Commands
{
    // AntShell (antmicro/AntShell, AntShell/Commands/ICommandInteraction.cs): what a monitor
    // command writes its answer to.
    public interface ICommandInteraction
    {
        Stream GetRawInputStream();

        string ReadLine();

        void Write(char c, ConsoleColor? color = null);

        void WriteError(string error);

        string CommandToExecute { get; set; }

        bool QuitEnvironment { get; set; }
    }
}
