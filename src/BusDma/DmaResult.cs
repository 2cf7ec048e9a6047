namespace RenodeFrameAlloc.BusDma
{
    // What an operation of the layer reports: Error is None on success, Message carries the
    // numbers involved on failure (for logs and for whoever drives the layer).
    public readonly struct DmaResult
    {
        public DmaResult(DmaError error, string message)
        {
            Error = error;
            Message = message ?? string.Empty;
        }

        public static DmaResult Ok => new DmaResult(DmaError.None, string.Empty);

        public DmaError Error { get; }
        public string Message { get; }
        public bool Succeeded => Error == DmaError.None;

        public override string ToString()
        {
            return Succeeded ? "ok" : $"{Error} ({(int)Error}): {Message}";
        }
    }
}
