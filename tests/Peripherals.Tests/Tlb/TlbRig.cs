using System;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.Miscellaneous;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.StandIn.Testing;
using RenodeFrameAlloc.Tests;

namespace RenodeFrameAlloc.Peripherals.Tests.Tlb
{
    // A machine with 16 MiB of RAM at 0x8000_0000, the TLB's registers at TlbBase and a
    // stock-style copier at CopierBase, all on an in-memory system bus.
    public sealed class TlbRig
    {
        public TlbRig(int entryCount = 16, int wiredEntries = 2, bool tsbAssist = true)
        {
            Ram = new PhysicalRam(new[] { new BusRange("ram", RamBase, RamSize) });
            Bus = new InMemoryBus(Ram);
            Machine = new VirtualTimeMachine(Bus);
            Tlb = new SoftwareManagedTlb(Machine, entryCount, wiredEntries, tsbAssist);
            Bus.Register(Tlb, new BusRangeRegistration(TlbBase, (ulong)Tlb.Size));
            Copier = new StockStyleCopier(Machine);
            Bus.Register(Copier, new BusRangeRegistration(CopierBase, (ulong)Copier.Size));
        }

        public uint Read(long register)
        {
            return Bus.ReadDoubleWord(TlbBase + (ulong)register);
        }

        public void Write(long register, uint value)
        {
            Bus.WriteDoubleWord(TlbBase + (ulong)register, value);
        }

        // Writes a 4 KiB entry for initiator id through the registers (random slot).
        public void Map(ulong virtualPage, ulong physicalPage, uint id, bool read = true, bool write = true)
        {
            Write(TlbRegisterMap.EntryVirtualLow, (uint)virtualPage);
            Write(TlbRegisterMap.EntryVirtualHigh, (uint)(virtualPage >> 32));
            Write(TlbRegisterMap.EntryPhysicalLow, (uint)physicalPage);
            Write(TlbRegisterMap.EntryPhysicalHigh, (uint)(physicalPage >> 32));
            Write(TlbRegisterMap.EntryAttributes, id | TlbRegisterMap.AttributeValid
                | (read ? TlbRegisterMap.AttributeRead : 0) | (write ? TlbRegisterMap.AttributeWrite : 0));
            Write(TlbRegisterMap.Command, TlbRegisterMap.CommandWriteRandom);
        }

        public void StartCopy(ulong source, ulong destination, uint length, uint mode = 0)
        {
            Bus.WriteDoubleWord(CopierBase + 0x0, (uint)source);
            Bus.WriteDoubleWord(CopierBase + 0x4, (uint)destination);
            Bus.WriteDoubleWord(CopierBase + 0x8, length);
            Bus.WriteDoubleWord(CopierBase + 0xC, mode);
            Bus.WriteDoubleWord(CopierBase + 0x10, 1);
        }

        public byte[] Fill(ulong address, int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            Ram.Write(address, data);
            return data;
        }

        public PhysicalRam Ram { get; }

        public InMemoryBus Bus { get; }

        public VirtualTimeMachine Machine { get; }

        public SoftwareManagedTlb Tlb { get; }

        public StockStyleCopier Copier { get; }

        public const ulong RamBase = 0x8000_0000;
        public const ulong RamSize = 16 << 20;
        public const ulong TlbBase = 0x1002_0000;
        public const ulong CopierBase = 0x1003_0000;
    }
}
