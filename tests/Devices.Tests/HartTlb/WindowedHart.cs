using System;
using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Devices;

namespace RenodeFrameAlloc.Devices.Tests.HartTlb
{
    // A hart as Renode 1.16.1's tlib drives the external MMU, reduced to what the model relies on:
    // windows (id, [start, end), addend, rights) found by the last window starting at or below the
    // address, a cached-translation set that FlushPage/FlushAll empty, and the two-call fault
    // protocol of get_external_mmu_phys_addr (first try; retry once on NoFault; second call; an
    // exception raised during it is taken at the faulting instruction). Records what it is told.
    public sealed class WindowedHart : IHartTlbHost
    {
        public uint HartId { get; set; } = 3;

        public List<uint> Exceptions { get; } = new List<uint>();

        public List<string> GuestErrors { get; } = new List<string>();

        public int Flushes { get; private set; }

        public List<(bool FirstTry, ulong? Window)> FaultCalls { get; } = new List<(bool FirstTry, ulong? Window)>();

        public int WindowCount => windows.Count;

        public ulong AcquireWindow()
        {
            var id = nextId++;
            windows[id] = new Window();
            return id;
        }

        public void SetWindow(ulong id, ulong start, ulong end, ulong addend, HartPermissions permissions)
        {
            var window = windows[id];
            window.Start = start;
            window.End = end;
            window.Addend = addend;
            window.Rights = permissions;
        }

        public void ReleaseWindow(ulong id)
        {
            if(!windows.Remove(id))
            {
                throw new InvalidOperationException($"window {id} released twice (tlib aborts)");
            }
        }

        public void FlushPage(ulong virtualAddress)
        {
            cached.Remove(virtualAddress & ~0xFFFUL);
            Flushes++;
        }

        public void FlushAll()
        {
            cached.Clear();
            Flushes++;
        }

        public void RaiseException(uint exceptionCode)
        {
            Exceptions.Add(exceptionCode);
        }

        public void LogGuestError(string message)
        {
            GuestErrors.Add(message);
        }

        public void LogInternalError(string message)
        {
            throw new InvalidOperationException($"the model reported an internal error: {message}");
        }

        public void SetLine(int line, bool asserted)
        {
            throw new InvalidOperationException("the hart TLB has no interrupt line");
        }

        public void ScheduleWake(int channel, ulong delayNanoseconds, ulong ticket)
        {
            throw new InvalidOperationException("the hart TLB takes no time");
        }

        // One access as tlib performs it. Returns the physical address, or null when it trapped
        // (the exception is in Exceptions). A cached translation is used without asking the windows.
        public ulong? Access(HartSoftwareTlbModel model, ulong address, HartAccess access)
        {
            var page = address & ~0xFFFUL;
            if(cached.TryGetValue(page, out var cachedEntry) && (cachedEntry.Rights & Right(access)) != 0)
            {
                return address + cachedEntry.Addend;
            }
            var firstTry = true;
            while(true)
            {
                var found = Lookup(address, access, out var windowId);
                if(found != null)
                {
                    cached[page] = found;
                    return address + found.Addend;
                }
                var raisedBefore = Exceptions.Count;
                FaultCalls.Add((firstTry, windowId));
                var action = model.OnTranslationFault(address, access, windowId, firstTry);
                if(firstTry)
                {
                    firstTry = false;
                    if(action == HartFaultAction.Retry)
                    {
                        continue;
                    }
                    FaultCalls.Add((false, windowId));
                    action = model.OnTranslationFault(address, access, windowId, false);
                }
                if(action != HartFaultAction.Retry)
                {
                    throw new InvalidOperationException("Fault on a second try stops a tlib hart for good");
                }
                if(Exceptions.Count == raisedBefore)
                {
                    throw new InvalidOperationException("second try answered without an exception: tlib would retry forever");
                }
                return null;
            }
        }

        private Window Lookup(ulong address, HartAccess access, out ulong? windowId)
        {
            windowId = null;
            // tlib: the last window (sorted by start) with start <= address; walk down while it covers.
            foreach(var pair in windows.Where(w => w.Value.Start <= address).OrderByDescending(w => w.Value.Start).ThenByDescending(w => w.Key))
            {
                if(address >= pair.Value.End)
                {
                    break;
                }
                windowId = pair.Key;
                return (pair.Value.Rights & Right(access)) != 0 ? pair.Value : null;
            }
            return null;
        }

        private static HartPermissions Right(HartAccess access)
        {
            return access == HartAccess.Read ? HartPermissions.Read : access == HartAccess.Write ? HartPermissions.Write : HartPermissions.Execute;
        }

        private ulong nextId;
        private readonly Dictionary<ulong, Window> windows = new Dictionary<ulong, Window>();
        private readonly Dictionary<ulong, Window> cached = new Dictionary<ulong, Window>();

        private sealed class Window
        {
            public ulong Start;
            public ulong End;
            public ulong Addend;
            public HartPermissions Rights;
        }
    }
}
