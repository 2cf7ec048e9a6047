using static Antmicro.Renode.Peripherals.Miscellaneous.ExternalMmuBase;

namespace Antmicro.Renode.Peripherals.CPU
{
    // Every member of Renode's interface (the hart TLB's test double implements it).
    public interface ICPUWithExternalMmu : ICPU
    {
        void EnableExternalWindowMmu(bool value);

        void EnableExternalWindowMmu(ExternalMmuPosition position);

        ulong AcquireExternalMmuWindow(Privilege type);

        void ResetMmuWindow(ulong id);

        void ResetMmuWindowsCoveringAddress(ulong address);

        void ResetAllMmuWindows();

        void SetMmuWindowStart(ulong id, ulong startAddress);

        void SetMmuWindowEnd(ulong id, ulong endAddress);

        void SetMmuWindowAddend(ulong id, ulong addend);

        void SetMmuWindowPrivileges(ulong id, Privilege privileges);

        void AddHookOnMmuFault(ExternalMmuFaultHook hook);

        void RemoveHookOnMmuFault(ExternalMmuFaultHook hook);

        ulong GetMmuWindowStart(ulong id);

        ulong GetMmuWindowEnd(ulong id);

        ulong GetMmuWindowAddend(ulong id);

        uint GetMmuWindowPrivileges(ulong id);

        void FlushTlb();

        void FlushTlbPage(ulong address);

        uint ExternalMmuWindowsCount { get; }
    }
}
