using NUnit.Framework;
using RenodeFrameAlloc.Frames;

namespace RenodeFrameAlloc.Tests
{
    public class BusRangeTests
    {
        [Test]
        public void RangeReportsItsEnd()
        {
            var range = new BusRange("isa", 0, 16 << 20);
            Assert.That(range.End, Is.EqualTo(16UL << 20));
            Assert.That(range.PageSize, Is.EqualTo(BusRange.DefaultPageSize));
            Assert.That(range.Contains(0), Is.True);
            Assert.That(range.Contains((16UL << 20) - 1), Is.True);
            Assert.That(range.Contains(16UL << 20), Is.False);
        }

        [Test]
        public void RangeAtTheTopOfTheAddressSpaceSaturates()
        {
            var range = new BusRange("top", ulong.MaxValue - 0xFFF, 0x1000);
            Assert.That(range.End, Is.EqualTo(ulong.MaxValue));
            Assert.That(range.Contains(ulong.MaxValue), Is.True);
            Assert.That(range.Contains(ulong.MaxValue - 0x1000), Is.False);
        }

        [Test]
        public void DescriptionNamesTheRangeAndItsBounds()
        {
            var text = new BusRange("dma32", 16 << 20, (4UL << 30) - (16 << 20)).ToString();
            Assert.That(text, Does.Contain("dma32"));
            Assert.That(NumberText.Mentions(text, 16UL << 20), Is.True, text);
            Assert.That(NumberText.Mentions(text, 4UL << 30), Is.True, text);
        }
    }
}
