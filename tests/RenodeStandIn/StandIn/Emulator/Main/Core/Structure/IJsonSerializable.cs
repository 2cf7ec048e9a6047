using System;

namespace Antmicro.Renode.Core.Structure
{
    // Gives the object that represents this one in JSON.
    public interface IJsonSerializable
    {
        Object SerializeJson();
    }
}
