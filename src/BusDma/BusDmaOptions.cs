namespace RenodeFrameAlloc.BusDma
{
    public sealed class BusDmaOptions
    {
        // On by default: tests and the demo run with it; an owner that wants raw speed turns it off.
        public DmaCheckerMode Checker { get; set; } = DmaCheckerMode.Coherent;
        // Bounce pages one pool may hold (FreeBSD's max_bpages, per zone). 1024 pages of 4 KiB = 4 MiB.
        public int BouncePoolLimitPages { get; set; } = 1024;
        public int MaxRetainedFindings { get; set; } = 10000;

        public BusDmaOptions Clone()
        {
            return (BusDmaOptions)MemberwiseClone();
        }
    }
}
