namespace RenodeFrameAlloc.Frames
{
    // Pageable pages sit on their list's active/inactive queues, kept apart by kind so the
    // buffer cache can be capped without touching program pages.
    public enum PageKind
    {
        Program = 0,
        Cache = 1
    }
}
