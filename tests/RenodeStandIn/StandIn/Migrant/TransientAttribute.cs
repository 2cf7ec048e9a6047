using System;

namespace Antmicro.Migrant
{
    // Migrant skips fields (or all fields of a type) marked with this when it snapshots.
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field)]
    public class TransientAttribute : Attribute
    {
    }
}
