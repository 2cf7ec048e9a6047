using System;

namespace Antmicro.Migrant.Hooks
{
    // Migrant calls a method marked with this once the whole object graph is deserialized, in the
    // opposite order the objects were encountered (Renode's machine has restored its bus
    // controllers and clock by then; during [PostDeserialization] it may not have).
    [AttributeUsage(AttributeTargets.Method)]
    public class LatePostDeserializationAttribute : Attribute
    {
    }
}
