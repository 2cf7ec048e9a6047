using System;

namespace Antmicro.Migrant.Hooks
{
    // Migrant calls a method marked with this after the object and everything it references is deserialized.
    [AttributeUsage(AttributeTargets.Method)]
    public class PostDeserializationAttribute : Attribute
    {
    }
}
