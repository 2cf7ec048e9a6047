namespace RenodeFrameAlloc.Peripherals.Tests.Tlb
{
    // Offsets and bits from docs/software-tlb.md, as a guest driver would define them.
    public static class TlbRegisters
    {
        public const long Capabilities = 0x00;
        public const long IndexRegister = 0x04;
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
        public const long Faults = 0x58;

        public const uint AttributeValid = 1u << 16;
        public const uint AttributeRead = 1u << 17;
        public const uint AttributeWrite = 1u << 18;

        public const uint CommandWriteIndexed = 1;
        public const uint CommandWriteRandom = 2;
        public const uint CommandRead = 4;
        public const uint CommandResume = 8;
        public const uint CommandAbort = 9;

        public const uint StatusFaultPending = 1;
        public const uint StatusOverrun = 2;
        public const uint StatusCommandError = 4;

        public const uint FaultInfoWrite = 1u << 12;
        public const uint FaultInfoStalled = 1u << 20;
        public const int FaultInfoCauseShift = 16;
    }
}
