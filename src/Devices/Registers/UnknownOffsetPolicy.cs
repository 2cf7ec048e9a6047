using System;

namespace RenodeFrameAlloc.Devices.Registers
{
    // What a device does with an access its register table refuses: an offset no register decodes
    // (unknown, unaligned, beyond the register space) or a write to a register nothing in it
    // takes (read-only). The table reads 0, drops the write and hands report one line saying
    // which; report decides the rest (log a guest error, or set an error status bit and raise an
    // interrupt as the TLB does). One policy per device, documented with its register map.
    public sealed class UnknownOffsetPolicy<TDevice>
    {
        public UnknownOffsetPolicy(Action<TDevice, string> report)
        {
            this.report = report ?? throw new ArgumentNullException(nameof(report));
        }

        internal void UnknownRead(TDevice device, long offset)
        {
            report(device, $"read from unknown register 0x{offset:X}");
        }

        internal void UnknownWrite(TDevice device, long offset, uint value)
        {
            report(device, $"write of 0x{value:X} to unknown register 0x{offset:X} ignored");
        }

        internal void ReadOnlyWrite(TDevice device, string register, uint value)
        {
            report(device, $"write of 0x{value:X} to read-only register {register} ignored");
        }

        private readonly Action<TDevice, string> report;
    }
}
