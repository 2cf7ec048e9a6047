using System;

namespace Antmicro.Renode.UserInterface.Commands
{
    // In Renode (CommandAttributes.cs): marks the methods of a command the monitor may call.
    [AttributeUsage(AttributeTargets.Method)]
    public class RunnableAttribute : Attribute
    {
    }
}
