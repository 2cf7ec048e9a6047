using System;

namespace Antmicro.Migrant
{
    // On a class: fields of that type are not serialized. On a field: that field is not.
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Event)]
    public class TransientAttribute : Attribute
    {
    }
}
