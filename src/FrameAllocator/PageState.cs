namespace RenodeFrameAlloc.Frames
{
    public enum PageState
    {
        // The address lies in no range.
        Outside = 0,
        Free = 1,
        // Handed out by Allocate: unmapped, unpageable, owned by the caller until Free.
        Wired = 2,
        Active = 3,
        Inactive = 4
    }
}
