using System;

namespace RenodeFrameAlloc.Frames
{
    // What Allocate and Free report: Error is None on success. Message carries the numbers
    // involved, for logs and for the frame-pool device's users.
    public readonly struct AllocationResult
    {
        public AllocationResult(AllocationError error, Segment[] segments, string message)
        {
            Error = error;
            Segments = segments ?? Array.Empty<Segment>();
            Message = message ?? string.Empty;
        }

        public AllocationError Error { get; }
        public Segment[] Segments { get; }
        public string Message { get; }
        public bool Succeeded => Error == AllocationError.None;

        public override string ToString()
        {
            return Succeeded ? $"ok: {string.Join(", ", Segments)}" : $"{Error}: {Message}";
        }
    }
}
