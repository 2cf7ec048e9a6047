using System;

namespace Antmicro.Renode.UserInterface
{
    [AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class)]
    public class IconAttribute : Attribute
    {
        public IconAttribute(string resource)
        {
            ResourceName = resource;
        }

        public string ResourceName { get; private set; }
    }
}
