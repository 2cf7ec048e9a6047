namespace RenodeFrameAlloc.BusDma
{
    // A DmaResult that also carries the object an operation created (a tag, a map, DMA memory);
    // Value is null on failure.
    public readonly struct DmaResult<T> where T : class
    {
        public DmaResult(T value)
        {
            Value = value;
            Error = DmaError.None;
            Message = string.Empty;
        }

        public DmaResult(DmaError error, string message)
        {
            Value = null;
            Error = error;
            Message = message ?? string.Empty;
        }

        public T Value { get; }
        public DmaError Error { get; }
        public string Message { get; }
        public bool Succeeded => Error == DmaError.None;

        public static implicit operator DmaResult(DmaResult<T> result)
        {
            return new DmaResult(result.Error, result.Message);
        }

        public override string ToString()
        {
            return Succeeded ? $"ok: {Value}" : $"{Error} ({(int)Error}): {Message}";
        }
    }
}
