using System;

namespace Antmicro.Renode.Exceptions
{
    // Thrown by a peripheral constructor for a bad .repl parameter; Renode reports it and does not create the peripheral.
    public class ConstructionException : RecoverableException
    {
        public ConstructionException(string message) : base(message)
        {
        }

        public ConstructionException(string message, Exception innerException) : base(message, innerException)
        {
        }
    }
}
