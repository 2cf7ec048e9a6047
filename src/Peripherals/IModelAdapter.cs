using RenodeFrameAlloc.Devices;

namespace RenodeFrameAlloc.Peripherals
{
    // A Renode peripheral over a device model: the model's host, plus what the device does when
    // one of its entry points caught an exception from the model (see EntryPointBoundary).
    public interface IModelAdapter : IDeviceHost
    {
        // The device's reaction to an internal error, after it was logged. channel: the channel the
        // failed entry point concerned, or -1 for none. The boundary contains what it throws.
        void ReactToInternalError(int channel);
    }
}
