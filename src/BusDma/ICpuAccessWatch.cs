namespace RenodeFrameAlloc.BusDma
{
    // Where DmaCheckerDeviceModel asks to see the hart's accesses (in Renode: the page routed
    // through the system bus, and the RAM's access hooks), reported back through OnCpuAccess with
    // every byte address and width. Page by page (DmaCheckerDeviceModel.CpuWatchPageSize): each
    // page is watched once until unwatched; the model says which pages, so the watcher keeps no
    // state the snapshot would need.
    public interface ICpuAccessWatch
    {
        void WatchPage(ulong page);

        void UnwatchPage(ulong page);
    }
}
