namespace RenodeFrameAlloc.Tests
{
    // The register offsets and bits as docs/software-tlb.md documents them; tests program the
    // TLB through these, so a change to the map that the document does not follow fails here.
    public static class TlbRegisterMap
    {
        public const long Capabilities = 0x00;
        public const long IndexRegister = 0x04;
        public const long RandomRegister = 0x08;
        public const long Wired = 0x0C;
        public const long EntryVirtualLow = 0x10;
        public const long EntryVirtualHigh = 0x14;
        public const long EntryPhysicalLow = 0x18;
        public const long EntryPhysicalHigh = 0x1C;
        public const long EntryAttributes = 0x20;
        public const long Command = 0x24;
        public const long Status = 0x28;
        public const long InterruptEnable = 0x2C;
        public const long FaultAddressLow = 0x30;
        public const long FaultAddressHigh = 0x34;
        public const long FaultInfo = 0x38;
        public const long TsbBaseLow = 0x3C;
        public const long TsbBaseHigh = 0x40;
        public const long TsbConfig = 0x44;
        public const long Hits = 0x48;
        public const long Misses = 0x4C;
        public const long Refills = 0x50;
        public const long TsbRefills = 0x54;
        public const long Faults = 0x58;

        public const uint AttributeValid = 1u << 16;
        public const uint AttributeRead = 1u << 17;
        public const uint AttributeWrite = 1u << 18;
        public const uint AttributeLarge = 1u << 19;
        public const uint AttributeGlobal = 1u << 20;

        public const uint IndexProbeFailed = 1u << 31;

        public const uint CommandWriteIndexed = 1;
        public const uint CommandWriteRandom = 2;
        public const uint CommandProbe = 3;
        public const uint CommandRead = 4;
        public const uint CommandInvalidateAll = 5;
        public const uint CommandInvalidateInitiator = 6;
        public const uint CommandInvalidatePage = 7;
        public const uint CommandResume = 8;
        public const uint CommandAbort = 9;
        public const uint CommandResetCounters = 10;

        public const uint StatusFaultPending = 1u << 0;
        public const uint StatusOverrun = 1u << 1;
        public const uint StatusCommandError = 1u << 2;
        public const uint StatusTsbError = 1u << 3;

        public const uint FaultInfoWrite = 1u << 12;
        public const int FaultInfoCauseShift = 16;
        public const uint FaultInfoStalled = 1u << 20;
        public const int FaultInfoQueuedShift = 24;

        public const uint TsbEnable = 1;
        public const int TsbSizeShift = 8;
    }
}
