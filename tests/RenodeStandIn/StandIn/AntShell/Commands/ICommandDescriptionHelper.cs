using System.Linq;
using System.Text;

namespace AntShell.Commands
{
    // AntShell keeps this beside ICommandDescription, in the same file.
    public static class ICommandDescriptionHelper
    {
        public static string GetHelp(this ICommandDescription cd)
        {
            var help = new StringBuilder(cd.Name);
            if(cd.AlternativeNames.Any())
            {
                help.AppendFormat(" [ {0} ]", string.Join(", ", cd.AlternativeNames));
            }
            help.AppendFormat("\r\n{0}", cd.Description);
            return help.ToString();
        }
    }
}
