using System;

namespace RenodeFrameAlloc.Integration.Tests.Rehearsal
{
    // A step a rehearsal cannot play without Renode (its CPU, its stock models, snapshots).
    public sealed class RehearsalUnsupportedException : Exception
    {
        public RehearsalUnsupportedException(string what)
            : base($"not available without Renode: {what}")
        {
        }
    }
}
