namespace RenodeFrameAlloc.Cli.Drivers
{
    // A bug the copy driver can be told to make, to show what the bus_dma checker reports.
    public enum DriverMistake
    {
        None = 0,
        // The source buffer is handed to the device without bus_dmamap_sync(PREWRITE).
        ForgetPreWrite = 1,
        // The destination is read by the CPU without bus_dmamap_sync(POSTREAD).
        ForgetPostRead = 2
    }
}
