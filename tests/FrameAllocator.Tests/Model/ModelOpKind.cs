namespace RenodeFrameAlloc.Tests.Model
{
    public enum ModelOpKind
    {
        Allocate,
        // An Allocate of one frame with constraints a page always meets, mostly: the single-frame
        // fast path and its magazines.
        AllocateFrame,
        Free,
        AllocatePage,
        Reference,
        ReleasePage,
        RunPager,
        SetPagerTargets
    }
}
