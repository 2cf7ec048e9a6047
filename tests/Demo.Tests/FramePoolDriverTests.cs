using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Cli.Board;
using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Demo.Tests
{
    // The reference driver against the allocator behind the device: what it reads through the
    // registers must be what the allocator did.
    public class FramePoolDriverTests
    {
        [SetUp]
        public void Build()
        {
            board = new EmbeddedBoard(DemoLayout.Small());
            driver = new FramePoolDriver(board.Bus, DemoLayout.FramePoolBase, board.DriverMemory, 64);
        }

        [Test]
        public void ProbesTheDevice()
        {
            Assert.That(driver.Probe(), Is.True);
            Assert.That(driver.RangeCount, Is.EqualTo(3));
        }

        [Test]
        public void BorrowedFramesAreWiredAndReturnedFramesFree()
        {
            var reply = driver.Borrow(new FrameRequest(40 << 10, 16UL << 20, 28UL << 20, MaxSegments: 4, MaxSegmentSize: 16 << 10));
            Assert.That(reply.Succeeded, Is.True);
            Assert.That(reply.Segments.Length, Is.EqualTo(3));
            foreach(var segment in reply.Segments)
            {
                for(var address = segment.Address; address < segment.End; address += 4096)
                {
                    Assert.That(board.Allocator.GetPageState(address), Is.EqualTo(PageState.Wired), $"0x{address:X}");
                }
            }
            Assert.That(driver.Return(reply.Segments), Is.Zero);
            Assert.That(reply.Segments.Select(s => board.Allocator.GetPageState(s.Address)), Is.All.EqualTo(PageState.Free));
        }

        [Test]
        public void StatisticsRegistersMatchTheAllocator()
        {
            driver.Borrow(new FrameRequest(64 << 10, 0, 4UL << 20));
            var expected = board.Allocator.GetStatistics();
            for(var i = 0; i < expected.Count; i++)
            {
                var read = driver.ReadStatistics(i, expected[i].Name);
                Assert.That(read.Base, Is.EqualTo(expected[i].Base));
                Assert.That(read.Size, Is.EqualTo(expected[i].Size));
                Assert.That((long)read.Free, Is.EqualTo(expected[i].Free));
                Assert.That((long)read.Wired, Is.EqualTo(expected[i].Wired));
                Assert.That((long)read.Allocations, Is.EqualTo(expected[i].Allocations));
            }
        }

        [Test]
        public void AFailedBorrowReturnsTheErrorRegister()
        {
            // Alignment 3 is not a power of two: INVALID_ALIGNMENT (2).
            var reply = driver.Borrow(new FrameRequest(4096, 0, 4UL << 20, Alignment: 3));
            Assert.That(reply.Succeeded, Is.False);
            Assert.That(reply.Error, Is.EqualTo(2));
            Assert.That(reply.Segments, Is.Empty);
        }

        [Test]
        public void UnmappedRegisterAccessesAreLoggedNotThrown()
        {
            Assert.That(board.Bus.ReadDoubleWord(DemoLayout.FramePoolBase - 4), Is.Zero);
            board.Bus.WriteDoubleWord(DemoLayout.FramePoolBase + 0x04, 5);
            Assert.That(board.Bus.Log, Has.Count.EqualTo(2));
            Assert.That(board.Bus.Log[1], Does.StartWith("framepool:"));
        }

        private EmbeddedBoard board;
        private FramePoolDriver driver;
    }
}
