namespace RenodeFrameAlloc.BusDma
{
    // The checker's record for one loaded map, in map offsets.
    internal sealed class MapCheckState
    {
        public MapCheckState()
        {
            ReadyForDeviceRead = new ByteRangeSet();
            ReadyForDeviceWrite = new ByteRangeSet();
            CpuWritten = new ByteRangeSet();
            DeviceWritten = new ByteRangeSet();
        }

        public void Clear()
        {
            ReadyForDeviceRead.Clear();
            ReadyForDeviceWrite.Clear();
            CpuWritten.Clear();
            DeviceWritten.Clear();
            ReportedSinceSync = 0;
        }

        // PREWRITE adds, POSTWRITE removes.
        public readonly ByteRangeSet ReadyForDeviceRead;
        // PREREAD adds, POSTREAD removes.
        public readonly ByteRangeSet ReadyForDeviceWrite;
        // CPU writes add, PREWRITE removes.
        public readonly ByteRangeSet CpuWritten;
        // Device writes add, POSTREAD removes.
        public readonly ByteRangeSet DeviceWritten;
        // Per-access kinds already reported since the map's last sync (one finding per kind and
        // sync epoch, so a device polling a buffer does not flood the log).
        public int ReportedSinceSync;
    }
}
