namespace Antmicro.Renode.Peripherals.CPU
{
    // Only a parameter type here (of BusHookDelegate). Renode's bases (ICPUWithHooks,
    // ICPUWithRegisters) and members are left out: nothing here implements it.
    public interface ICpuSupportingGdb
    {
    }
}
