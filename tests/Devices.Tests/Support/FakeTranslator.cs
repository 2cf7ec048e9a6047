using System.Collections.Generic;

namespace RenodeFrameAlloc.Devices.Tests
{
    // A stand-in IOMMU with 4 KiB pages and a page table the test fills. A miss keeps the waiter
    // until the test calls ResolveAll or AbortAll, like the software-managed TLB does.
    public sealed class FakeTranslator : IIoTranslator
    {
        public TranslationStatus Translate(ulong virtualAddress, int initiatorId, DmaAccess access, ITranslationRequester waiter,
            out ulong physicalAddress, out ulong bytesInPage)
        {
            Lookups++;
            LastInitiator = initiatorId;
            var page = virtualAddress / PageSize;
            var offset = virtualAddress % PageSize;
            physicalAddress = 0;
            bytesInPage = 0;
            if(!pages.TryGetValue(page, out var entry) && assist.TryGetValue(page, out entry))
            {
                // Refill from a backing table and tell the waiter at once, as an assist would.
                pages[page] = entry;
                Misses++;
                waiter?.TranslationResolved();
                return TranslationStatus.Miss;
            }
            if(!pages.ContainsKey(page))
            {
                Misses++;
                if(waiter == null)
                {
                    return TranslationStatus.Aborted;
                }
                waiters.Add(waiter);
                return TranslationStatus.Miss;
            }
            if((access == DmaAccess.Read && !entry.Read) || (access == DmaAccess.Write && !entry.Write))
            {
                // As the contract says: a waiter stalls on a permission fault too.
                if(waiter != null)
                {
                    waiters.Add(waiter);
                }
                return TranslationStatus.PermissionFault;
            }
            physicalAddress = entry.PhysicalPage * PageSize + offset;
            bytesInPage = PageSize - offset;
            return TranslationStatus.Ok;
        }

        public void Cancel(ITranslationRequester waiter)
        {
            waiters.RemoveAll(w => w == waiter);
        }

        public void Map(ulong virtualAddress, ulong physicalAddress, bool read = true, bool write = true)
        {
            pages[virtualAddress / PageSize] = (physicalAddress / PageSize, read, write);
        }

        // Entries the translator installs itself on a miss, then reports the miss as resolved at once.
        public void MapInAssist(ulong virtualAddress, ulong physicalAddress)
        {
            assist[virtualAddress / PageSize] = (physicalAddress / PageSize, true, true);
        }

        public void Unmap(ulong virtualAddress)
        {
            pages.Remove(virtualAddress / PageSize);
        }

        public void ResolveAll()
        {
            var toCall = new List<ITranslationRequester>(waiters);
            waiters.Clear();
            foreach(var waiter in toCall)
            {
                waiter.TranslationResolved();
            }
        }

        public void AbortAll()
        {
            var toCall = new List<ITranslationRequester>(waiters);
            waiters.Clear();
            foreach(var waiter in toCall)
            {
                waiter.TranslationAborted();
            }
        }

        public int Waiting => waiters.Count;

        public int Lookups { get; private set; }

        public int Misses { get; private set; }

        public int LastInitiator { get; private set; }

        public const ulong PageSize = 4096;

        private readonly Dictionary<ulong, (ulong PhysicalPage, bool Read, bool Write)> pages = new Dictionary<ulong, (ulong, bool, bool)>();
        private readonly Dictionary<ulong, (ulong PhysicalPage, bool Read, bool Write)> assist = new Dictionary<ulong, (ulong, bool, bool)>();
        private readonly List<ITranslationRequester> waiters = new List<ITranslationRequester>();
    }
}
