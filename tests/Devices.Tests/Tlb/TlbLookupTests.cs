using System;
using NUnit.Framework;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Tlb;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    // The lookup hints must never change an answer: after any mix of writes, invalidations and
    // lookups, Translate agrees with a brute-force search over the entries as GetEntry shows them.
    public class TlbLookupTests
    {
        [TestCase(1)]
        [TestCase(2)]
        [TestCase(3)]
        public void TranslateAgreesWithABruteForceSearch(int seed)
        {
            var random = new Random(seed);
            var tlb = new SoftwareManagedTlbModel(24, 4, null, new RecordingHost());
            // A small space so that pages, ids and 2 MiB regions collide often.
            ulong RandomPage() => (ulong)random.Next(0, 1024) << 12;
            for(var step = 0; step < 20_000; step++)
            {
                switch(random.Next(10))
                {
                case 0:
                case 1:
                {
                    var large = random.Next(6) == 0;
                    var va = large ? RandomPage() & ~0x1F_FFFFUL : RandomPage();
                    var pa = large ? (ulong)random.Next(0, 64) << 21 : RandomPage();
                    var entry = new TlbEntry(va, pa, random.Next(0, 4), random.Next(4) != 0, random.Next(2) == 0,
                        large ? TlbPageSize.Size2MiB : TlbPageSize.Size4KiB, random.Next(12) == 0);
                    if(random.Next(2) == 0)
                    {
                        tlb.WriteRandom(entry);
                    }
                    else
                    {
                        tlb.WriteIndexed(random.Next(0, 24), entry);
                    }
                    break;
                }
                case 2:
                    switch(random.Next(20))
                    {
                    case 0:
                        tlb.InvalidateAll();
                        break;
                    case 1:
                    case 2:
                        tlb.InvalidateInitiator(random.Next(0, 4));
                        break;
                    default:
                        tlb.InvalidatePage(RandomPage(), random.Next(0, 4));
                        break;
                    }
                    break;
                default:
                {
                    var va = RandomPage() | (uint)random.Next(0, 4096);
                    var id = random.Next(50) == 0 ? 5000 : random.Next(0, 4);
                    var access = (DmaAccess)random.Next(2);
                    var status = tlb.Translate(va, id, access, null, out var physical, out var room);
                    var expected = BruteForce(tlb, va, id);
                    if(!expected.Valid)
                    {
                        Assert.That(status, Is.EqualTo(TranslationStatus.Aborted), $"step {step}: 0x{va:X} id {id} should miss");
                    }
                    else if(!expected.Allows(access))
                    {
                        Assert.That(status, Is.EqualTo(TranslationStatus.PermissionFault), $"step {step}");
                    }
                    else
                    {
                        Assert.That(status, Is.EqualTo(TranslationStatus.Ok), $"step {step}: 0x{va:X} id {id} should hit {expected}");
                        Assert.That(physical, Is.EqualTo(expected.PhysicalPage + (va - expected.VirtualPage)), $"step {step}");
                        Assert.That(room, Is.EqualTo(expected.PageBytes - (va - expected.VirtualPage)), $"step {step}");
                    }
                    if(tlb.HasLatchedFault)
                    {
                        tlb.Resume();
                    }
                    tlb.AcknowledgeStatus(TlbStatus.All);
                    break;
                }
                }
            }
        }

        private static TlbEntry BruteForce(SoftwareManagedTlbModel tlb, ulong va, int id)
        {
            var found = TlbEntry.Invalid;
            for(var i = 0; i < tlb.EntryCount; i++)
            {
                var entry = tlb.GetEntry(i);
                if(entry.Valid && va >= entry.VirtualPage && va - entry.VirtualPage < entry.PageBytes && (entry.Global || entry.InitiatorId == id))
                {
                    Assert.That(found.Valid, Is.False, "two entries translate the same address");
                    found = entry;
                }
            }
            return found;
        }
    }
}
