namespace RenodeFrameAlloc.BusDma
{
    // The operation during which the checker made a finding.
    public enum DmaOperation
    {
        CreateMap = 0,
        DestroyMap = 1,
        Load = 2,
        Unload = 3,
        Sync = 4,
        DeviceRead = 5,
        DeviceWrite = 6,
        CpuRead = 7,
        CpuWrite = 8,
        AllocateMemory = 9,
        FreeMemory = 10,
        Reset = 11,
        // A device model reported the segment it was programmed with (DmaChecker.CheckProgrammedSegment).
        ProgramSegment = 12
    }
}
