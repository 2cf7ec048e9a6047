using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;
using Antmicro.Renode.Core;
using Antmicro.Renode.Exceptions;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Peripherals;
using RenodeFrameAlloc.Devices.Tlb;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    // Renode peripheral over RenodeFrameAlloc.Devices.Tlb.SoftwareManagedTlbModel: a software-managed IOMMU TLB
    // (registers and TSB format in docs/software-tlb.md). In a .repl:
    //     iotlb: Miscellaneous.SoftwareManagedTlb @ sysbus 0x10020000
    //         entryCount: 64
    //         wiredEntries: 4
    //         checker: dmacheck     // optional: initiators attached later report their physical accesses
    //         IRQ -> plic@12
    // Our DMA engines take it as their IIoTranslator (they stall on a miss). Any other bus
    // initiator, e.g. a stock Renode DMA model, is put behind it from the monitor with
    //     iotlb AttachInitiator dma0 7
    // after which every access dma0 makes is translated for initiator id 7; such an initiator
    // cannot wait, so a miss the TSB cannot fill drops the access (latched, logged, interrupt).
    //
    // No exception from the model leaves a register access, a reset, a translation or a proxied
    // access's translation: EntryPointBoundary logs it at error level and the access is answered
    // as aborted (a read as 0). Errors the parent bus raises during a proxied access propagate as
    // they would without the TLB (TlbBusControllerProxy).
    // Snapshots: state in the model's plain fields; the TSB's bus view is [Transient] and rebuilt
    // in the one [LatePostDeserialization] hook.
    public class SoftwareManagedTlb : IDoubleWordPeripheral, IKnownSize, IIoTranslator, IModelAdapter
    {
        // entryCount: entries (1..4096). wiredEntries: low entries random writes never replace.
        // tsbAssist: whether software may enable the TSB assist (reads guest memory on a miss).
        // checker: the DMA checker told of each physical access an attached initiator makes.
        public SoftwareManagedTlb(IMachine machine, int entryCount = 64, int wiredEntries = 0, bool tsbAssist = true, DmaCheckerDevice checker = null)
        {
            if(machine == null)
            {
                throw new ConstructionException("SoftwareManagedTlb needs a machine");
            }
            this.machine = machine;
            this.tsbAssist = tsbAssist;
            this.checker = checker;
            IRQ = new GPIO();
            try
            {
                // TSB reads are physical and only ever reach memory (never registers).
                memory = tsbAssist ? new SystemBusMemory(machine.GetSystemBus(this), machine) : null;
                model = new SoftwareManagedTlbModel(entryCount, wiredEntries, memory, this);
            }
            catch(ArgumentOutOfRangeException e)
            {
                throw new ConstructionException($"SoftwareManagedTlb: {e.Message}", e);
            }
            registers = new SoftwareManagedTlbRegisters(model);
            attached = new List<TlbBusControllerProxy>();
        }

        public void Reset()
        {
            try
            {
                registers.Reset();
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "reset", e);
            }
        }

        public uint ReadDoubleWord(long offset)
        {
            return EntryPointBoundary.Read(this, registers, offset);
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            EntryPointBoundary.Write(this, registers, offset, value);
        }

        public void Cancel(ITranslationRequester waiter)
        {
            try
            {
                model.Cancel(waiter);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "cancel of a stalled transfer", e);
            }
        }

        // IIoTranslator, for our DMA engines and the bus-controller proxies: see SoftwareManagedTlbModel.Translate.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
            out ulong physicalAddress, out ulong bytesInPage)
        {
            try
            {
                return model.Translate(virtualAddress, initiatorId, access, waiter, out physicalAddress, out bytesInPage);
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, $"translation of 0x{virtualAddress:X}", e);
                physicalAddress = 0;
                bytesInPage = 0;
                return TranslationStatus.Aborted;
            }
        }

        // Monitor: puts initiator behind this TLB; its accesses are then translated for
        // initiatorId (0..4095). Bulk accesses are split at page boundaries. Throws
        // RecoverableException (shown by the monitor) for a bad id or when the initiator already
        // sits behind another bus controller.
        public void AttachInitiator(IBusPeripheral initiator, int initiatorId)
        {
            if(initiator == null)
            {
                throw new RecoverableException("AttachInitiator needs an initiator peripheral");
            }
            if(initiatorId < 0 || initiatorId > SoftwareManagedTlbModel.MaxInitiatorId)
            {
                throw new RecoverableException($"initiator id {initiatorId} is outside [0, {SoftwareManagedTlbModel.MaxInitiatorId}]");
            }
            if(initiator == this)
            {
                throw new RecoverableException("the TLB cannot translate its own accesses (its TSB reads are physical)");
            }
            // With a checker, the translated accesses pass a checking proxy on their way to the bus.
            var parent = machine.GetSystemBus(this);
            if(checker != null)
            {
                parent = new CheckingBusControllerProxy(checker, initiator, parent);
            }
            var proxy = new TlbBusControllerProxy(this, parent, initiatorId);
            machine.RegisterBusController(initiator, proxy);
            attached.Add(proxy);
            this.Log(LogLevel.Info, "{0} now sits behind the TLB as initiator {1}", initiator, initiatorId);
        }

        // Monitor: the TLB contents as a table (one row per entry, wired ones marked).
        public string[,] Dump()
        {
            var table = new string[model.EntryCount + 1, 7];
            var header = new[] { "Index", "Wired", "Virtual", "Physical", "Size", "Rights", "Initiator" };
            for(var column = 0; column < header.Length; column++)
            {
                table[0, column] = header[column];
            }
            for(var i = 0; i < model.EntryCount; i++)
            {
                var entry = model.GetEntry(i);
                table[i + 1, 0] = i.ToString();
                table[i + 1, 1] = i < model.Wired ? "yes" : "";
                if(!entry.Valid)
                {
                    table[i + 1, 2] = "-";
                    table[i + 1, 3] = "-";
                    table[i + 1, 4] = "";
                    table[i + 1, 5] = "";
                    table[i + 1, 6] = "";
                    continue;
                }
                table[i + 1, 2] = $"0x{entry.VirtualPage:X}";
                table[i + 1, 3] = $"0x{entry.PhysicalPage:X}";
                table[i + 1, 4] = entry.Size == TlbPageSize.Size2MiB ? "2M" : "4K";
                table[i + 1, 5] = (entry.Readable ? "r" : "-") + (entry.Writable ? "w" : "-");
                table[i + 1, 6] = entry.Global ? "global" : entry.InitiatorId.ToString();
            }
            return table;
        }

        // Monitor: counters, the latched fault and the TSB state in one line each.
        public string Statistics()
        {
            var fault = model.HasLatchedFault ? model.LatchedFault.ToString() : "none";
            var tsb = model.TsbEnabled ? $"on, 2^{model.TsbLog2Entries} entries at 0x{model.TsbBase:X}" : "off";
            var initiators = new List<string>();
            foreach(var proxy in attached)
            {
                initiators.Add(proxy.InitiatorId.ToString());
            }
            return $"hits {model.Hits}, misses {model.Misses}, refills {model.Refills}, TSB refills {model.TsbRefills}, faults {model.Faults}\n"
                + $"latched fault: {fault} ({model.QueuedFaults} queued)\n"
                + $"status: {model.Status}\n"
                + $"TSB: {tsb}\n"
                + $"attached initiator ids: {(initiators.Count == 0 ? "none" : string.Join(", ", initiators))}";
        }

        public int EntryCount => model.EntryCount;

        public int WiredEntries => model.Wired;

        public ulong Hits => model.Hits;

        public ulong Misses => model.Misses;

        public ulong Faults => model.Faults;

        // The model, for tests and for code that wants the TLB without the register interface.
        public SoftwareManagedTlbModel Model => model;

        public GPIO IRQ { get; }

        public long Size => SoftwareManagedTlbRegisters.Size;

        void IDeviceHost.SetLine(int line, bool asserted)
        {
            IRQ.Set(asserted);
        }

        void IDeviceHost.LogGuestError(string message)
        {
            this.Log(LogLevel.Warning, message);
        }

        void IDeviceHost.LogInternalError(string message)
        {
            this.Log(LogLevel.Error, message);
        }

        // The TLB takes no time: its model never asks.
        void IDeviceHost.ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            this.Log(LogLevel.Error, "The TLB model asked for a wake it has no use for (channel {0}); ignored", channel);
        }

        // Logged is all: the access in progress is answered as aborted.
        void IModelAdapter.ReactToInternalError(int channel)
        {
        }

        [LatePostDeserialization]
        private void RebuildAfterLoad()
        {
            try
            {
                if(tsbAssist)
                {
                    memory = new SystemBusMemory(machine.GetSystemBus(this), machine);
                    model.RebindMemory(memory);
                }
            }
            catch(Exception e)
            {
                EntryPointBoundary.Contain(this, "the rebuild after a snapshot load", e);
            }
        }

        // The TSB assist's view of the bus (null without the assist), rebuilt after a snapshot load.
        [Transient]
        private SystemBusMemory memory;

        private readonly IMachine machine;
        private readonly DmaCheckerDevice checker;
        private readonly bool tsbAssist;
        private readonly SoftwareManagedTlbModel model;
        private readonly SoftwareManagedTlbRegisters registers;
        private readonly List<TlbBusControllerProxy> attached;
    }
}
