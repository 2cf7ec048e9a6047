namespace RenodeFrameAlloc.Integration.Tests.Parsing
{
    // `@ parent`, `@ parent address` or `@ parent <address, +size>`.
    public sealed class ReplRegistration
    {
        public ReplRegistration(string parent, ulong? address, ulong? explicitSize)
        {
            Parent = parent;
            Address = address;
            ExplicitSize = explicitSize;
        }

        public string Parent { get; }

        // Null for a registration without an address (a CPU on the system bus).
        public ulong? Address { get; }

        // The size of a `<address, +size>` registration; null when the peripheral's own size applies.
        public ulong? ExplicitSize { get; }
    }
}
