using System;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;
using Antmicro.Renode.Peripherals.Bus;

namespace RenodeFrameAlloc.Peripherals.Tests.Tlb
{
    // Behaves like Renode's stock DMA models: a register write starts a copy that runs at once,
    // through whatever bus controller the machine gives this peripheral, with one bulk ReadBytes
    // and one bulk WriteBytes (MODE 0), or double word by double word (MODE 1). It knows nothing
    // about TLBs and cannot wait.
    public sealed class StockStyleCopier : IDoubleWordPeripheral, IKnownSize
    {
        public StockStyleCopier(IMachine machine)
        {
            this.machine = machine;
        }

        public void Reset()
        {
            source = 0;
            destination = 0;
            length = 0;
            mode = 0;
        }

        public uint ReadDoubleWord(long offset)
        {
            return 0;
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            switch(offset)
            {
            case 0x0:
                source = value;
                break;
            case 0x4:
                destination = value;
                break;
            case 0x8:
                length = value;
                break;
            case 0xC:
                mode = value;
                break;
            case 0x10:
                Copy();
                break;
            }
        }

        public long Size => 0x100;

        private void Copy()
        {
            // The machine's wrapper for this peripheral: it follows a later AttachInitiator, in
            // Renode as in the stand-in.
            var bus = machine.GetSystemBus(this);
            if(mode == 0)
            {
                var data = bus.ReadBytes(source, (int)length);
                bus.WriteBytes(data, destination);
                return;
            }
            for(var i = 0u; i + 4 <= length; i += 4)
            {
                bus.WriteDoubleWord(destination + i, bus.ReadDoubleWord(source + i));
            }
        }

        private ulong source;
        private ulong destination;
        private uint length;
        private uint mode;

        private readonly IMachine machine;
    }
}
