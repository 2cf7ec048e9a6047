using System;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.CPU;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals;

using Range = Antmicro.Renode.Core.Range;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // The bus controller an initiator sees once SoftwareManagedTlb.AttachInitiator put it behind
    // the TLB: every address it uses is device-virtual and translated for one initiator id.
    // Renode's BusControllerProxy validates only the start address of ReadBytes/WriteBytes; this
    // one translates page by page, so a transfer that crosses pages reaches each page's own frame.
    // Accesses wider than a byte that straddle a page are split the same way (little-endian).
    // Every path that reaches memory is translated: the single accesses of every width (also
    // Renode's *WithState ones, whose quad words Renode's proxy forwards untranslated), the bulk
    // ones and ZeroRange; FindBytes, which would search the physical space, is refused.
    //
    // The initiator cannot wait: on a miss the TSB assist cannot fill, or a permission fault, the
    // access is dropped (the TLB latches and logs it and raises its interrupt). A dropped read
    // returns zeros from the faulting page on; a dropped write stores nothing from there on (pages
    // before the fault were already transferred, as on a real bus). Errors the parent bus raises
    // (e.g. RecoverableException for onlyMemory) propagate as they would without the TLB.
    public class TlbBusControllerProxy : BusControllerProxy
    {
        public TlbBusControllerProxy(SoftwareManagedTlb tlb, IBusController parentController, int initiatorId) : base(parentController)
        {
            this.tlb = tlb;
            InitiatorId = initiatorId;
        }

        public override void ReadBytes(ulong address, int count, byte[] destination, int startIndex, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!IsValidSpan(destination, startIndex, count))
            {
                return;
            }
            var done = 0;
            while(done < count)
            {
                if(!TryTranslate(address + (ulong)done, DmaAccess.Read, out var physical, out var bytesInPage))
                {
                    Array.Clear(destination, startIndex + done, count - done);
                    return;
                }
                var chunk = (int)Math.Min((ulong)(count - done), bytesInPage);
                ParentController.ReadBytes(physical, chunk, destination, startIndex + done, onlyMemory, context, cpuState);
                done += chunk;
            }
        }

        public override void WriteBytes(byte[] bytes, ulong address, int startingIndex, long count, bool onlyMemory = false, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!IsValidSpan(bytes, startingIndex, count))
            {
                return;
            }
            var done = 0L;
            while(done < count)
            {
                if(!TryTranslate(address + (ulong)done, DmaAccess.Write, out var physical, out var bytesInPage))
                {
                    return;
                }
                var chunk = (long)Math.Min((ulong)(count - done), bytesInPage);
                ParentController.WriteBytes(bytes, physical, startingIndex + (int)done, chunk, onlyMemory, context, cpuState);
                done += chunk;
            }
        }

        public override ushort ReadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!TryTranslate(address, DmaAccess.Read, out var physical, out var bytesInPage))
            {
                return 0;
            }
            return bytesInPage >= 2 ? ParentController.ReadWord(physical, context, cpuState) : (ushort)ReadAcrossPages(address, 2, context, cpuState);
        }

        public override void WriteWord(ulong address, ushort value, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!TryTranslate(address, DmaAccess.Write, out var physical, out var bytesInPage))
            {
                return;
            }
            if(bytesInPage >= 2)
            {
                ParentController.WriteWord(physical, value, context, cpuState);
                return;
            }
            WriteAcrossPages(address, value, 2, context, cpuState);
        }

        public override uint ReadDoubleWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!TryTranslate(address, DmaAccess.Read, out var physical, out var bytesInPage))
            {
                return 0;
            }
            return bytesInPage >= 4 ? ParentController.ReadDoubleWord(physical, context, cpuState) : (uint)ReadAcrossPages(address, 4, context, cpuState);
        }

        public override void WriteDoubleWord(ulong address, uint value, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!TryTranslate(address, DmaAccess.Write, out var physical, out var bytesInPage))
            {
                return;
            }
            if(bytesInPage >= 4)
            {
                ParentController.WriteDoubleWord(physical, value, context, cpuState);
                return;
            }
            WriteAcrossPages(address, value, 4, context, cpuState);
        }

        // Renode's proxy forwards quad words untranslated; an IOMMU must not.
        public override ulong ReadQuadWord(ulong address, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!TryTranslate(address, DmaAccess.Read, out var physical, out var bytesInPage))
            {
                return 0;
            }
            return bytesInPage >= 8 ? ParentController.ReadQuadWord(physical, context, cpuState) : ReadAcrossPages(address, 8, context, cpuState);
        }

        public override void WriteQuadWord(ulong address, ulong value, IPeripheral context = null, ulong? cpuState = null)
        {
            if(!TryTranslate(address, DmaAccess.Write, out var physical, out var bytesInPage))
            {
                return;
            }
            if(bytesInPage >= 8)
            {
                ParentController.WriteQuadWord(physical, value, context, cpuState);
                return;
            }
            WriteAcrossPages(address, value, 8, context, cpuState);
        }

        // Renode's proxy passes the byte, word and double-word *WithState accesses through
        // ValidateOperation (start address only) and forwards the quad-word ones untranslated.
        // Here the wider ones are translated page by page as the plain accesses are; the byte
        // ones come to ValidateOperation.
        public override ushort ReadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            if(!TryTranslate(address, DmaAccess.Read, out var physical, out var bytesInPage))
            {
                return 0;
            }
            return bytesInPage >= 2 ? ParentController.ReadWordWithState(physical, context, stateObj) : (ushort)ReadAcrossPagesWithState(address, 2, context, stateObj);
        }

        public override void WriteWordWithState(ulong address, ushort value, IPeripheral context, IContextState stateObj)
        {
            if(!TryTranslate(address, DmaAccess.Write, out var physical, out var bytesInPage))
            {
                return;
            }
            if(bytesInPage >= 2)
            {
                ParentController.WriteWordWithState(physical, value, context, stateObj);
                return;
            }
            WriteAcrossPagesWithState(address, value, 2, context, stateObj);
        }

        public override uint ReadDoubleWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            if(!TryTranslate(address, DmaAccess.Read, out var physical, out var bytesInPage))
            {
                return 0;
            }
            return bytesInPage >= 4 ? ParentController.ReadDoubleWordWithState(physical, context, stateObj) : (uint)ReadAcrossPagesWithState(address, 4, context, stateObj);
        }

        public override void WriteDoubleWordWithState(ulong address, uint value, IPeripheral context, IContextState stateObj)
        {
            if(!TryTranslate(address, DmaAccess.Write, out var physical, out var bytesInPage))
            {
                return;
            }
            if(bytesInPage >= 4)
            {
                ParentController.WriteDoubleWordWithState(physical, value, context, stateObj);
                return;
            }
            WriteAcrossPagesWithState(address, value, 4, context, stateObj);
        }

        public override ulong ReadQuadWordWithState(ulong address, IPeripheral context, IContextState stateObj)
        {
            if(!TryTranslate(address, DmaAccess.Read, out var physical, out var bytesInPage))
            {
                return 0;
            }
            return bytesInPage >= 8 ? ParentController.ReadQuadWordWithState(physical, context, stateObj) : ReadAcrossPagesWithState(address, 8, context, stateObj);
        }

        public override void WriteQuadWordWithState(ulong address, ulong value, IPeripheral context, IContextState stateObj)
        {
            if(!TryTranslate(address, DmaAccess.Write, out var physical, out var bytesInPage))
            {
                return;
            }
            if(bytesInPage >= 8)
            {
                ParentController.WriteQuadWordWithState(physical, value, context, stateObj);
                return;
            }
            WriteAcrossPagesWithState(address, value, 8, context, stateObj);
        }

        // Renode's proxy would zero the untranslated range. Translated page by page like any
        // write: the pages before a fault are zeroed, nothing from the faulting page on.
        public override void ZeroRange(Range range, IPeripheral context = null)
        {
            var zeros = new byte[Math.Min(range.Size, ZeroChunk)];
            var done = 0UL;
            while(done < range.Size)
            {
                if(!TryTranslate(range.StartAddress + done, DmaAccess.Write, out var physical, out var bytesInPage))
                {
                    return;
                }
                var chunk = Math.Min(Math.Min(range.Size - done, bytesInPage), (ulong)zeros.Length);
                ParentController.WriteBytes(zeros, physical, 0, (long)chunk, false, context);
                done += chunk;
            }
        }

        // Renode's proxy would search the untranslated (physical) space and answer physical
        // addresses to a caller that uses device-virtual ones. A search of the virtual space
        // would have to walk the TLB and the TSB, and fault on every hole; refused instead, as
        // Renode refuses a bad pattern.
        public override ulong[] FindBytes(byte[] pattern, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null)
        {
            throw new RecoverableException($"FindBytes is not available through {this}: its addresses are device-virtual; search the system bus instead");
        }

        public override ulong[] FindBytes(string hexString, ulong startAddress = 0, ulong? endAddress = null, IPeripheral context = null)
        {
            throw new RecoverableException($"FindBytes is not available through {this}: its addresses are device-virtual; search the system bus instead");
        }

        // Address decoding queries see the translated address, without faulting; an untranslated
        // address has nothing behind it.
        public override IBusRegistered<IBusPeripheral> WhatIsAt(ulong address, IPeripheral context = null)
        {
            return TryPeek(address, out var physical) ? ParentController.WhatIsAt(physical, context) : null;
        }

        public override IPeripheral WhatPeripheralIsAt(ulong address, IPeripheral context = null, ulong? initiatorState = null)
        {
            return TryPeek(address, out var physical) ? ParentController.WhatPeripheralIsAt(physical, context, initiatorState) : null;
        }

        // Renode's proxy would ask about the untranslated address.
        public override bool IsMemory(ulong address, ICPU context = null, ulong? initiatorState = null)
        {
            return TryPeek(address, out var physical) && ParentController.IsMemory(physical, context, initiatorState);
        }

        public int InitiatorId { get; }

        public override string ToString()
        {
            return $"TLB proxy for initiator {InitiatorId}";
        }

        // The byte accesses (also *WithState) come here; WhatIsAt and WhatPeripheralIsAt are
        // overridden above, so BusAccessPrivileges.Other is only a fallback.
        protected override bool ValidateOperation(ref ulong address, BusAccessPrivileges accessType, IPeripheral context = null)
        {
            if(accessType == BusAccessPrivileges.Other)
            {
                if(TryPeek(address, out var peeked))
                {
                    address = peeked;
                    return true;
                }
                return false;
            }
            var access = (accessType & BusAccessPrivileges.Write) != 0 ? DmaAccess.Write : DmaAccess.Read;
            if(!TryTranslate(address, access, out var physical, out _))
            {
                return false;
            }
            address = physical;
            return true;
        }

        private bool TryTranslate(ulong virtualAddress, DmaAccess access, out ulong physicalAddress, out ulong bytesInPage)
        {
            // A null waiter: this initiator cannot stall, the TLB drops, latches and logs instead.
            return tlb.Translate(virtualAddress, InitiatorId, access, null, out physicalAddress, out bytesInPage) == TranslationStatus.Ok
                && bytesInPage > 0;
        }

        private bool TryPeek(ulong virtualAddress, out ulong physicalAddress)
        {
            try
            {
                return tlb.Model.TryPeek(virtualAddress, InitiatorId, out physicalAddress, out _);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(tlb, $"look-up of 0x{virtualAddress:X} for initiator {InitiatorId}", e);
                physicalAddress = 0;
                return false;
            }
        }

        private ulong ReadAcrossPages(ulong address, int width, IPeripheral context, ulong? cpuState)
        {
            var bytes = new byte[width];
            ReadBytes(address, width, bytes, 0, false, context, cpuState);
            var value = 0UL;
            for(var i = width - 1; i >= 0; i--)
            {
                value = (value << 8) | bytes[i];
            }
            return value;
        }

        private void WriteAcrossPages(ulong address, ulong value, int width, IPeripheral context, ulong? cpuState)
        {
            var bytes = new byte[width];
            for(var i = 0; i < width; i++)
            {
                bytes[i] = (byte)(value >> (8 * i));
            }
            WriteBytes(bytes, address, 0, width, false, context, cpuState);
        }

        // Page by page, each byte through the parent's byte access with the same state; zeros
        // from a faulting page on, as ReadAcrossPages.
        private ulong ReadAcrossPagesWithState(ulong address, int width, IPeripheral context, IContextState stateObj)
        {
            var value = 0UL;
            var done = 0;
            while(done < width)
            {
                if(!TryTranslate(address + (ulong)done, DmaAccess.Read, out var physical, out var bytesInPage))
                {
                    return value;
                }
                var chunk = (int)Math.Min((ulong)(width - done), bytesInPage);
                for(var i = 0; i < chunk; i++)
                {
                    value |= (ulong)ParentController.ReadByteWithState(physical + (ulong)i, context, stateObj) << (8 * (done + i));
                }
                done += chunk;
            }
            return value;
        }

        private void WriteAcrossPagesWithState(ulong address, ulong value, int width, IPeripheral context, IContextState stateObj)
        {
            var done = 0;
            while(done < width)
            {
                if(!TryTranslate(address + (ulong)done, DmaAccess.Write, out var physical, out var bytesInPage))
                {
                    return;
                }
                var chunk = (int)Math.Min((ulong)(width - done), bytesInPage);
                for(var i = 0; i < chunk; i++)
                {
                    ParentController.WriteByteWithState(physical + (ulong)i, (byte)(value >> (8 * (done + i))), context, stateObj);
                }
                done += chunk;
            }
        }

        private bool IsValidSpan(byte[] buffer, int startIndex, long count)
        {
            if(count <= 0)
            {
                return false;
            }
            if(buffer == null || startIndex < 0 || startIndex > buffer.Length || count > buffer.Length - startIndex)
            {
                tlb.Log(LogLevel.Error, "Initiator {0} passed a buffer that does not hold {1} bytes from index {2}; access ignored",
                    InitiatorId, count, startIndex);
                return false;
            }
            return true;
        }

        private readonly SoftwareManagedTlb tlb;

        private const ulong ZeroChunk = 0x10000;
    }
}
