namespace RenodeFrameAlloc.BusDma
{
    // The bus addresses one device can reach, [Low, High) (DmaChecker.SetReach).
    internal sealed class DeviceReach
    {
        public DeviceReach(ulong low, ulong high)
        {
            Low = low;
            High = high;
        }

        public readonly ulong Low;
        public readonly ulong High;
    }
}
