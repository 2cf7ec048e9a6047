using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    // "All state lives in plain fields and arrays so that an emulator snapshot can capture it; a
    // save/load round trip continues with identical results." The round trip is SnapshotCopier,
    // which copies the object graph the way Antmicro.Migrant serializes it.
    public class SnapshotTests
    {
        [TestCase(ListPolicy.LeastConstrainedFirst, 50, 1)]
        [TestCase(ListPolicy.RoundRobin, 25, 2)]
        [TestCase(ListPolicy.LeastConstrainedFirst, FrameAllocator.NoCacheCap, 3)]
        [TestCase(ListPolicy.RoundRobin, 50, 4)]
        public void RestoredAllocatorContinuesExactlyAsTheOriginal(ListPolicy policy, int cachePercent, int seed)
        {
            var original = new FrameAllocator(Layouts.Small(), policy, cachePercent);
            var originalWork = new Workload();
            var random = new Random(seed);
            for(var i = 0; i < 600; i++)
            {
                originalWork.Step(original, random);
            }

            var copier = new SnapshotCopier();
            var restored = copier.Copy(original);
            var restoredWork = originalWork.Clone();

            Assert.That(restored, Is.Not.SameAs(original));
            Assert.That(StateFingerprint.Capture(restored, true), Is.EqualTo(StateFingerprint.Capture(original, true)));
            Assert.That(restored.FormatStatistics(), Is.EqualTo(original.FormatStatistics()));
            Assert.That(restored.LastFailureMessage, Is.EqualTo(original.LastFailureMessage));

            var originalRandom = new Random(seed + 100);
            var restoredRandom = new Random(seed + 100);
            for(var i = 0; i < 600; i++)
            {
                var expected = originalWork.Step(original, originalRandom);
                var actual = restoredWork.Step(restored, restoredRandom);
                Assert.That(actual, Is.EqualTo(expected), $"step {i} after the restore");
                Assert.That(restored.LastFailureMessage, Is.EqualTo(original.LastFailureMessage), $"step {i} after the restore");
                if(i % 50 == 0)
                {
                    Assert.That(StateFingerprint.Capture(restored, true), Is.EqualTo(StateFingerprint.Capture(original, true)), $"step {i} after the restore");
                }
            }
            Assert.That(StateFingerprint.Capture(restored, true), Is.EqualTo(StateFingerprint.Capture(original, true)));
            Assert.That(restored.FormatStatistics(), Is.EqualTo(original.FormatStatistics()));
            Assert.That(originalWork.Successes, Is.GreaterThan(100), "the workload should mostly do real work");
            Assert.That(original.ProgramPagesEvicted + original.CachePagesEvicted, Is.GreaterThan(0), "the workload should reach page reclaim");
            copier.VerifyStaticTablesUnchanged();
        }

        [Test]
        public void RestoredAllocatorSharesNoStateWithTheOriginal()
        {
            var original = new FrameAllocator(Layouts.Small());
            var work = new Workload();
            var random = new Random(7);
            for(var i = 0; i < 200; i++)
            {
                work.Step(original, random);
            }
            var restored = new SnapshotCopier().Copy(original);
            var atSnapshot = StateFingerprint.Capture(restored, true);

            for(var i = 0; i < 200; i++)
            {
                work.Step(original, random);
            }
            original.SetPagerTargets("mid", 7, 9);

            Assert.That(StateFingerprint.Capture(original, true), Is.Not.EqualTo(atSnapshot));
            Assert.That(StateFingerprint.Capture(restored, true), Is.EqualTo(atSnapshot));
        }

        [Test]
        public void CopierRefusesWhatASnapshotCannotCarry()
        {
            var copier = new SnapshotCopier();
            Assert.That(() => copier.Copy(new WithDelegate()), Throws.InvalidOperationException.With.Message.Contain("delegate"));
            Assert.That(() => copier.Copy(new WithHandle()), Throws.InvalidOperationException.With.Message.Contain("pointer"));
            Assert.That(() => copier.Copy(new WithMutableStatic()), Throws.InvalidOperationException.With.Message.Contain("static"));
            Assert.That(() => copier.Copy(new WithThread()), Throws.InvalidOperationException.With.Message.Contain("thread"));
        }

        [Test]
        public void CopierSkipsTransientFieldsAndKeepsSharingShared()
        {
            var source = new WithTransientAndShared();
            var copy = new SnapshotCopier().Copy(source);
            Assert.That(copy.Callback, Is.Null);
            Assert.That(copy.First, Is.Not.SameAs(source.First));
            Assert.That(copy.First, Is.SameAs(copy.Second));
            Assert.That(copy.First, Is.EqualTo(source.First));
        }

        // A random mix of everything a user does, recorded as text so two runs can be compared.
        private sealed class Workload
        {
            public int Successes { get; private set; }

            public Workload Clone()
            {
                var clone = new Workload { Successes = Successes };
                clone.live.AddRange(live.Select(s => s.ToArray()));
                clone.pages.AddRange(pages);
                return clone;
            }

            public string Step(FrameAllocator allocator, Random random)
            {
                var ranges = allocator.Ranges;
                var roll = random.Next(100);
                if(roll < 12)
                {
                    // Single frames, so that the snapshot catches frames in the lists' magazines.
                    var range = ranges[random.Next(ranges.Count)];
                    var error = random.Next(3) == 0 ? allocator.TryAllocateFrame(range.Base, range.End, out var frame)
                        : allocator.TryAllocateFrame(0, ulong.MaxValue, out frame);
                    if(error == AllocationError.None)
                    {
                        live.Add(new[] { frame });
                        Successes++;
                    }
                    return $"frame {error} {frame}";
                }
                if(roll < 35)
                {
                    var c = random.Next(2) == 0 ? AllocationConstraints.Scattered : AllocationConstraints.Contiguous;
                    if(random.Next(3) == 0)
                    {
                        var range = ranges[random.Next(ranges.Count)];
                        c.Low = range.Base;
                        c.High = range.End;
                    }
                    c.Alignment = random.Next(3) == 0 ? Layouts.Page << random.Next(5) : 0;
                    c.Boundary = random.Next(4) == 0 ? Layouts.Page << (5 + random.Next(4)) : 0;
                    if(c.MaxSegments > 1 && random.Next(2) == 0)
                    {
                        c.MaxSegments = 1 + random.Next(4);
                    }
                    c.PreferredRange = random.Next(4) == 0 ? ranges[random.Next(ranges.Count)].Name : null;
                    var result = allocator.AllocatePages(1 + random.Next(32), c);
                    if(result.Succeeded)
                    {
                        live.Add(result.Segments);
                        Successes++;
                    }
                    return "allocate " + result;
                }
                if(roll < 55)
                {
                    if(live.Count == 0)
                    {
                        return "nothing to free";
                    }
                    var index = random.Next(live.Count);
                    var segments = live[index].ToArray();
                    if(random.Next(5) == 0 && segments[0].Length > Layouts.Page)
                    {
                        segments[0] = new Segment(segments[0].Address, segments[0].Length - Layouts.Page);
                    }
                    if(segments.Length == 1 && segments[0].Length == Layouts.Page && random.Next(2) == 0)
                    {
                        var error = allocator.FreeFrame(segments[0].Address);
                        if(error == AllocationError.None)
                        {
                            live.RemoveAt(index);
                            Successes++;
                        }
                        return $"free frame {error}";
                    }
                    var result = allocator.Free(segments);
                    if(result.Succeeded)
                    {
                        live.RemoveAt(index);
                        Successes++;
                    }
                    return "free " + result;
                }
                if(roll < 75)
                {
                    // Sometimes a burst, so that the cache reaches its cap and memory runs out.
                    var kind = random.Next(2) == 0 ? PageKind.Program : PageKind.Cache;
                    var preferred = random.Next(3) == 0 ? ranges[random.Next(ranges.Count)].Name : null;
                    var text = new System.Text.StringBuilder($"pages {kind}");
                    for(var burst = random.Next(4) == 0 ? 40 : 1; burst > 0; burst--)
                    {
                        var error = allocator.TryAllocatePage(kind, out var address, preferred);
                        if(error == AllocationError.None)
                        {
                            pages.Add(address);
                            Successes++;
                        }
                        text.Append($" {error} 0x{address:X}");
                    }
                    return text.ToString();
                }
                if(roll < 85)
                {
                    return pages.Count == 0 ? "nothing to reference" : $"reference {allocator.Reference(pages[random.Next(pages.Count)])}";
                }
                if(roll < 90)
                {
                    if(pages.Count == 0)
                    {
                        return "nothing to release";
                    }
                    var index = random.Next(pages.Count);
                    var error = allocator.ReleasePage(pages[index]);
                    pages.RemoveAt(index);
                    return $"release {error}";
                }
                if(roll < 97)
                {
                    return $"pager {allocator.RunPager()}";
                }
                var name = ranges[random.Next(ranges.Count)].Name;
                allocator.SetPagerTargets(name, random.Next(40), random.Next(80));
                return $"targets {name}";
            }

            private readonly List<Segment[]> live = new List<Segment[]>();
            private readonly List<ulong> pages = new List<ulong>();
        }

        private sealed class WithDelegate
        {
            public Action Callback = () => { };
        }

        private sealed class WithHandle
        {
            public IntPtr Handle = new IntPtr(42);
        }

        private sealed class WithMutableStatic
        {
            public static int Counter = 1;
            public int Value = Counter;
        }

        private sealed class WithThread
        {
            public System.Threading.Thread Worker = new System.Threading.Thread(() => { });
        }

        private sealed class WithTransientAndShared
        {
            public WithTransientAndShared()
            {
                First = new[] { 1, 2, 3 };
                Second = First;
            }

            [Transient]
            public Action Callback = () => { };
            public int[] First;
            public int[] Second;
        }

        // Same name as Antmicro.Migrant's attribute, which the copier honours by name.
        [AttributeUsage(AttributeTargets.Field | AttributeTargets.Class)]
        private sealed class TransientAttribute : Attribute
        {
        }
    }
}
