namespace RenodeFrameAlloc.Cli.Steps
{
    // How one range's pages were used at one moment: program pages, buffer-cache pages, wired
    // frames and free frames, out of Pages.
    public sealed record RangeOccupancy(string Range, long Pages, long Program, long Cache, long Wired, long Free);
}
