using System;

namespace RenodeFrameAlloc.Integration.Tests.Rehearsal
{
    // A step of a rehearsed suite failed as it would fail under Robot Framework.
    public sealed class RehearsalFailure : Exception
    {
        public RehearsalFailure(string message) : base(message)
        {
        }
    }
}
