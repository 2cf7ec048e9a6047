using System;
using System.Collections.Generic;
using Antmicro.Renode.Peripherals.CPU;
using static Antmicro.Renode.Peripherals.Miscellaneous.ExternalMmuBase;

namespace RenodeFrameAlloc.Peripherals.Tests.HartTlb
{
    // A hart with Renode's external-MMU surface: records windows, and lets a test call the fault
    // hook as tlib does. A TranslationCPU, as Renode's harts are (the TLB sets its block size). No
    // RaiseException(uint): TrappingHart adds it, as TranslationCPU has it.
    public class RecordingHart : TranslationCPU, ICPUWithExternalMmu
    {
        public Dictionary<ulong, (ulong Start, ulong End, ulong Addend, Privilege Rights)> Windows { get; } = new Dictionary<ulong, (ulong, ulong, ulong, Privilege)>();

        public List<uint> Exceptions { get; } = new List<uint>();

        public ExternalMmuPosition Position { get; private set; }

        public bool ThrowOnWindowWrites { get; set; }

        public ExternalMmuResult Fault(ulong address, AccessType type, ulong? window, bool firstTry)
        {
            return hook(address, type, window, firstTry);
        }

        public uint MultiprocessingId => 2;

        public RegisterValue PC { get; set; }

        public bool IsHalted { get; set; }

        public bool IsPaused => false;

        public int UniqueObjectId => 1;

        public uint ExternalMmuWindowsCount => (uint)Windows.Count;

        public void Reset()
        {
        }

        public void Start()
        {
        }

        public void Pause()
        {
        }

        public void Resume()
        {
        }

        public void EnableExternalWindowMmu(bool value)
        {
            Position = value ? ExternalMmuPosition.Replace : ExternalMmuPosition.None;
        }

        public void EnableExternalWindowMmu(ExternalMmuPosition position)
        {
            Position = position;
        }

        public ulong AcquireExternalMmuWindow(Privilege type)
        {
            var id = nextId++;
            Windows[id] = (0, 0, 0, Privilege.None);
            return id;
        }

        public void ResetMmuWindow(ulong id)
        {
            Windows.Remove(id);
        }

        public void ResetMmuWindowsCoveringAddress(ulong address)
        {
            throw new NotSupportedException();
        }

        public void ResetAllMmuWindows()
        {
            Windows.Clear();
        }

        public void SetMmuWindowStart(ulong id, ulong startAddress)
        {
            Check();
            Windows[id] = Windows[id] with { Start = startAddress };
        }

        public void SetMmuWindowEnd(ulong id, ulong endAddress)
        {
            Check();
            Windows[id] = Windows[id] with { End = endAddress };
        }

        public void SetMmuWindowAddend(ulong id, ulong addend)
        {
            Check();
            Windows[id] = Windows[id] with { Addend = addend };
        }

        public void SetMmuWindowPrivileges(ulong id, Privilege privileges)
        {
            Check();
            Windows[id] = Windows[id] with { Rights = privileges };
        }

        public void AddHookOnMmuFault(ExternalMmuFaultHook hook)
        {
            this.hook += hook;
        }

        public void RemoveHookOnMmuFault(ExternalMmuFaultHook hook)
        {
            this.hook -= hook;
        }

        public ulong GetMmuWindowStart(ulong id) => Windows[id].Start;

        public ulong GetMmuWindowEnd(ulong id) => Windows[id].End;

        public ulong GetMmuWindowAddend(ulong id) => Windows[id].Addend;

        public uint GetMmuWindowPrivileges(ulong id) => (uint)Windows[id].Rights;

        public void FlushTlb()
        {
            Flushes++;
        }

        public void FlushTlbPage(ulong address)
        {
            Flushes++;
        }

        public int Flushes { get; private set; }

        private void Check()
        {
            if(ThrowOnWindowWrites)
            {
                throw new InvalidOperationException("window write failed");
            }
        }

        private ulong nextId = 100;
        private ExternalMmuFaultHook hook;
    }

    public sealed class TrappingHart : RecordingHart
    {
        public void RaiseException(uint exceptionId)
        {
            Exceptions.Add(exceptionId);
        }
    }
}
