using System;
using System.Linq;
using CsCheck;
using NUnit.Framework;

namespace RenodeFrameAlloc.Bench.Tests
{
    public class PairedRatioTests
    {
        [Test]
        public void MedianOfOddAndEvenCounts()
        {
            Assert.That(PairedRatio.MedianOf(new[] { 3.0, 1.0, 2.0 }), Is.EqualTo(2.0));
            Assert.That(PairedRatio.MedianOf(new[] { 4.0, 1.0, 3.0, 2.0 }), Is.EqualTo(2.5));
        }

        // Against a sort-based oracle: the median is the sample's, the interval holds it and lies
        // within the sample's range, and the same seed gives the same interval.
        [Test]
        public void IntervalHoldsTheMedianWithinTheSample()
        {
            Gen.Double[0.5, 2.0].Array[1, 60].Sample(ratios =>
            {
                var sorted = ratios.OrderBy(r => r).ToArray();
                var n = sorted.Length;
                var expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
                var result = PairedRatio.Of(ratios, resamples: 200);
                Assert.That(result.Median, Is.EqualTo(expected));
                Assert.That(result.Low, Is.LessThanOrEqualTo(result.Median));
                Assert.That(result.High, Is.GreaterThanOrEqualTo(result.Median));
                Assert.That(result.Low, Is.GreaterThanOrEqualTo(sorted[0]));
                Assert.That(result.High, Is.LessThanOrEqualTo(sorted[n - 1]));
                Assert.That(result.Pairs, Is.EqualTo(n));
                Assert.That(PairedRatio.Of(ratios, resamples: 200), Is.EqualTo(result));
            });
        }

        [Test]
        public void LeavesTheCallersRatiosInTheirOrder()
        {
            var ratios = new[] { 1.3, 0.9, 1.1 };
            PairedRatio.Of(ratios);
            Assert.That(ratios, Is.EqualTo(new[] { 1.3, 0.9, 1.1 }));
        }

        // Pairs whose ratio is 1.04 apart from a few interrupted ones: the median and its
        // interval stay at 1.04, where a mean would not.
        [Test]
        public void InterruptedPairsDoNotMoveTheResult()
        {
            var random = new Random(7);
            var ratios = Enumerable.Range(0, 400).Select(i => i % 50 == 0 ? 3.0 + random.NextDouble() : 1.04 * (1 + (random.NextDouble() - 0.5) * 0.01)).ToArray();
            var result = PairedRatio.Of(ratios);
            Assert.That(result.Median, Is.EqualTo(1.04).Within(0.003));
            Assert.That(result.Low, Is.GreaterThan(1.03));
            Assert.That(result.High, Is.LessThan(1.05));
            Assert.That(ratios.Average(), Is.GreaterThan(1.07));
        }

        [Test]
        public void RefusesWhatIsNotAPositiveFiniteRatio()
        {
            Assert.Throws<ArgumentException>(() => PairedRatio.Of(Array.Empty<double>()));
            Assert.Throws<ArgumentException>(() => PairedRatio.Of(new[] { 1.0, 0.0 }));
            Assert.Throws<ArgumentException>(() => PairedRatio.Of(new[] { 1.0, double.NaN }));
            Assert.Throws<ArgumentException>(() => PairedRatio.Of(new[] { double.PositiveInfinity }));
            Assert.Throws<ArgumentOutOfRangeException>(() => PairedRatio.Of(new[] { 1.0 }, confidence: 1.0));
        }
    }
}
