using System;

namespace RenodeFrameAlloc.Tests.Model
{
    // Thrown by the model when the allocator disagrees with the oracle. A plain exception rather
    // than an NUnit assertion because CsCheck runs samples on worker threads and shrinks by catching.
    public sealed class ModelViolation : Exception
    {
        public ModelViolation(string message) : base(message)
        {
        }
    }
}
