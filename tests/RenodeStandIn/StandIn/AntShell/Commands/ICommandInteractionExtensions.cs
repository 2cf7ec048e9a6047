using System;

namespace AntShell.Commands
{
    // AntShell keeps these beside ICommandInteraction, in the same file.
    public static class ICommandInteractionExtensions
    {
        public static void Write(this ICommandInteraction ici, string str, ConsoleColor? color = null)
        {
            foreach(var c in str)
            {
                if(c == '\n')
                {
                    ici.Write('\r', color);
                }
                ici.Write(c, color);
            }
        }

        public static void WriteLine(this ICommandInteraction ici, string str = "", ConsoleColor? color = null)
        {
            ici.Write(string.Format("{0}\n\r", str), color);
        }

        public static void WriteRaw(this ICommandInteraction ici, string str)
        {
            ici.Write(str);
        }
    }
}
