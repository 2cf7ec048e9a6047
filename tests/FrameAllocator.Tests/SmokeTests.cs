using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    public class SmokeTests
    {
        [Test]
        public void RangeReportsItsEnd()
        {
            var range = new BusRange("isa", 0, 16 << 20);
            Assert.That(range.End, Is.EqualTo(16UL << 20));
            Assert.That(range.Contains((16UL << 20) - 1), Is.True);
            Assert.That(range.Contains(16UL << 20), Is.False);
        }
    }
}
