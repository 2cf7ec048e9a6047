using System;

namespace Antmicro.Renode.Utilities
{
    // Marks types the monitor may convert arguments to.
    [AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class | AttributeTargets.Struct)]
    public class ConvertibleAttribute : Attribute
    {
        public ConvertibleAttribute()
        {
        }
    }
}
