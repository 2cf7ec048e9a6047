using System;
using Antmicro.Renode.Peripherals.Bus;
using RenodeFrameAlloc.Peripherals;

using Range = Antmicro.Renode.Core.Range;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // The bus controller a stock Renode bus master sees once DmaCheckerDevice.AttachInitiator put
    // it behind the checker: every access goes on to the system bus unchanged, and is reported to
    // the checker first (the address, the width, read or write, whether it is memory). With the
    // checker disabled an access costs one flag test on top of Renode's own proxy.
    // Reporting never fails an access: what the checker throws is contained (EntryPointBoundary)
    // inside DmaCheckerDevice.OnDeviceAccess.
    public class CheckingBusControllerProxy : BusControllerProxy
    {
        public CheckingBusControllerProxy(DmaCheckerDevice checker, IPeripheral initiator, IBusController parentController) : base(parentController)
        {
            this.checker = checker;
            this.initiator = initiator;
        }

        public override byte ReadByte(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 1, false);
            return base.ReadByte(address, context, cpuState);
        }

        public override void WriteByte(ulong address, byte value, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 1, true);
            base.WriteByte(address, value, context, cpuState);
        }

        public override byte ReadByteWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            Check(address, 1, false);
            return base.ReadByteWithState(address, context, stateObj);
        }

        public override void WriteByteWithState(ulong address, byte value, IPeripheral context, IContextState stateObj)
        {
            Check(address, 1, true);
            base.WriteByteWithState(address, value, context, stateObj);
        }

        public override ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 2, false);
            return base.ReadWord(address, context, cpuState);
        }

        public override void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 2, true);
            base.WriteWord(address, value, context, cpuState);
        }

        public override ushort ReadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            Check(address, 2, false);
            return base.ReadWordWithState(address, context, stateObj);
        }

        public override void WriteWordWithState(ulong address, ushort value, IPeripheral context, IContextState stateObj)
        {
            Check(address, 2, true);
            base.WriteWordWithState(address, value, context, stateObj);
        }

        public override uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 4, false);
            return base.ReadDoubleWord(address, context, cpuState);
        }

        public override void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 4, true);
            base.WriteDoubleWord(address, value, context, cpuState);
        }

        public override uint ReadDoubleWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            Check(address, 4, false);
            return base.ReadDoubleWordWithState(address, context, stateObj);
        }

        public override void WriteDoubleWordWithState(ulong address, uint value, IPeripheral context, IContextState stateObj)
        {
            Check(address, 4, true);
            base.WriteDoubleWordWithState(address, value, context, stateObj);
        }

        public override ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 8, false);
            return base.ReadQuadWord(address, context, cpuState);
        }

        public override void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, 8, true);
            base.WriteQuadWord(address, value, context, cpuState);
        }

        public override ulong ReadQuadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            Check(address, 8, false);
            return base.ReadQuadWordWithState(address, context, stateObj);
        }

        public override void WriteQuadWordWithState(ulong address, ulong value, IPeripheral context, IContextState stateObj)
        {
            Check(address, 8, true);
            base.WriteQuadWordWithState(address, value, context, stateObj);
        }

        public override void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, count, false);
            base.ReadBytes(address, count, destination, startIndex, onlyMemory, context, cpuState);
        }

        public override void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            Check(address, count, true);
            base.WriteBytes(bytes, address, startingIndex, count, onlyMemory, context, cpuState);
        }

        public override void ZeroRange(Range range, IPeripheral context = null)
        {
            Check(range.StartAddress, (long)range.Size, true);
            base.ZeroRange(range, context);
        }

        public override string ToString()
        {
            return $"DMA checker proxy for {checker.NameOf(initiator)}";
        }

        private void Check(ulong address, long count, bool write)
        {
            if(!checker.Enabled || count <= 0)
            {
                return;
            }
            var length = (ulong)count;
            // The first and the last byte: a transfer that starts in RAM and runs into a hole or
            // registers is outside memory too.
            var reached = ParentController.IsMemory(address) && (length == 1 || ParentController.IsMemory(address + length - 1));
            checker.OnDeviceAccess(name ??= checker.NameOf(initiator), address, length, write, reached);
        }

        private string name;
        private readonly DmaCheckerDevice checker;
        private readonly IPeripheral initiator;
    }
}
