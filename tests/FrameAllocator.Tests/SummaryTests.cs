using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using static RenodeFrameAlloc.Tests.Layouts;

namespace RenodeFrameAlloc.Tests
{
    // The per-order summaries behind multi-frame searches are refreshed lazily, and a list
    // remembers at most 4096 changed 64-frame words; words changed past that are brought up to
    // date at once. Either way, a search must find exactly the free blocks there are.
    public class SummaryTests
    {
        private const ulong Words = 4200;
        private const ulong Remembered = 4096;

        [Test]
        public void SearchesAfterChangesToMoreWordsThanRememberedFindEveryBlock()
        {
            var allocator = new FrameAllocator(Single(Words * 64));
            var top = Window(Remembered * 64 * Page, Words * 64 * Page);
            // The words above the first 4096, all but their last frame taken; a search there (for
            // the one free frame, odd, at an even frame: in vain) brings their summaries up to date.
            var high = Allocate(allocator, ((Words - Remembered) * 64 - 1) * Page, top);
            top.Alignment = 2 * Page;
            Assert.That(allocator.Allocate(Page, top).Error, Is.EqualTo(AllocationError.Fragmented));

            // The first 4096 words taken: as many changed words as the list remembers. The words
            // above then change too, when they are freed.
            var low = Allocate(allocator, Remembered * 64 * Page, Window(0, Remembered * 64 * Page));
            Assert.That(allocator.Free(high).Error, Is.EqualTo(AllocationError.None));

            // Only those words are free now; a search must find every one of them.
            var blocks = new List<Segment[]>();
            var wordAligned = AllocationConstraints.Contiguous;
            wordAligned.Alignment = 64 * Page;
            for(var word = Remembered; word < Words; word++)
            {
                var block = Allocate(allocator, 64 * Page, wordAligned);
                Assert.That(block[0].Address, Is.EqualTo(word * 64 * Page));
                blocks.Add(block);
            }
            Assert.That(allocator.Allocate(Page, AllocationConstraints.Contiguous).Error, Is.EqualTo(AllocationError.InsufficientMemory));
            foreach(var block in blocks)
            {
                Assert.That(allocator.Free(block).Error, Is.EqualTo(AllocationError.None));
            }
            Assert.That(allocator.Free(low).Error, Is.EqualTo(AllocationError.None));
            Assert.That(allocator.GetStatistics("ram").Free, Is.EqualTo(Words * 64));
        }

        private static Segment[] Allocate(FrameAllocator allocator, ulong size, AllocationConstraints c)
        {
            var result = allocator.Allocate(size, c);
            Assert.That(result.Error, Is.EqualTo(AllocationError.None), result.Message);
            Assert.That(result.Segments, Has.Length.EqualTo(1));
            return result.Segments;
        }

        private static AllocationConstraints Window(ulong low, ulong high)
        {
            return AllocationConstraints.Window(low, high);
        }
    }
}
