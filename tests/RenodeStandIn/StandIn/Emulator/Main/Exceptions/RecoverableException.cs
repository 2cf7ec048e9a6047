using System;

namespace Antmicro.Renode.Exceptions
{
    // What Renode reports to the user (monitor, .repl loading) instead of stopping.
    public class RecoverableException : Exception
    {
        public RecoverableException(Exception innerException) : base(String.Empty, innerException)
        {
        }

        public RecoverableException(string message, Exception innerException) : base(message, innerException)
        {
        }

        public RecoverableException(string message) : base(message)
        {
        }

        public RecoverableException() : base()
        {
        }
    }
}
