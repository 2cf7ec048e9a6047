using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Cli.Steps;

namespace RenodeFrameAlloc.Demo.Tests
{
    public class BufferCacheStepTests
    {
        [OneTimeSetUp]
        public void RunStep()
        {
            result = new BufferCacheStep().Compare(new DemoSettings(Seed: 3, Quick: true));
        }

        [Test]
        public void BehavesAsExpected()
        {
            Assert.That(result.Checks.Where(c => !c.Held).Select(c => $"{c.Expectation}: {c.Observed}"), Is.Empty);
            Assert.That(result.BehavedAsExpected, Is.True);
        }

        [Test]
        public void TheCopyStreamsFourTimesMemoryOnBothSides()
        {
            Assert.That(result.Capped.StreamedPages, Is.EqualTo(4 * result.Capped.TotalPages));
            Assert.That(result.Uncapped.StreamedPages, Is.EqualTo(4 * result.Uncapped.TotalPages));
            Assert.That(result.Capped.WorkingSetPages, Is.GreaterThan(0));
        }

        [Test]
        public void WithTheCapNoProgramPageIsEvicted()
        {
            Assert.That(result.Capped.CapPercent, Is.EqualTo(50));
            Assert.That(result.Capped.ProgramPagesEvicted, Is.Zero);
            Assert.That(result.Capped.ProgramFaults, Is.Zero);
        }

        [Test]
        public void WithoutTheCapProgramPagesAreEvicted()
        {
            Assert.That(result.Uncapped.ProgramPagesEvicted, Is.GreaterThan(0));
            Assert.That(result.Uncapped.ProgramFaults, Is.GreaterThan(0));
            Assert.That(result.Uncapped.ProgramFaults, Is.LessThanOrEqualTo(result.Uncapped.ProgramPagesEvicted));
        }

        [Test]
        public void TheCappedCacheStaysWithinItsShareAtEverySample()
        {
            Assert.That(result.Capped.CapPages, Is.EqualTo(result.Capped.TotalPages / 2));
            Assert.That(result.Capped.Samples.Count, Is.GreaterThan(100));
            foreach(var sample in result.Capped.Samples)
            {
                Assert.That(sample.Ranges.Sum(r => r.Cache), Is.LessThanOrEqualTo(result.Capped.CapPages), $"after {sample.StreamedPages} pages");
            }
            Assert.That(result.Uncapped.Samples.Max(s => s.Ranges.Sum(r => r.Cache)), Is.GreaterThan(result.Capped.CapPages));
        }

        [Test]
        public void SamplesAccountForEveryPageOfEachRange()
        {
            foreach(var range in result.Uncapped.Samples.SelectMany(s => s.Ranges))
            {
                Assert.That(range.Program + range.Cache + range.Wired + range.Free, Is.EqualTo(range.Pages), range.Range);
                Assert.That(range.Program, Is.GreaterThanOrEqualTo(0), range.Range);
            }
        }

        [Test]
        public void TheSameSeedPlaysTheSameRun()
        {
            var again = new BufferCacheStep().Compare(new DemoSettings(Seed: 3, Quick: true));
            Assert.That(again.Uncapped.ProgramPagesEvicted, Is.EqualTo(result.Uncapped.ProgramPagesEvicted));
            Assert.That(again.Uncapped.ProgramFaults, Is.EqualTo(result.Uncapped.ProgramFaults));
            Assert.That(again.Uncapped.Samples.Last(), Is.Not.Null);
            Assert.That(again.Uncapped.Samples.Last().Ranges, Is.EqualTo(result.Uncapped.Samples.Last().Ranges));
        }

        [Test]
        public void AProgramThatReusesItsPagesOftenKeepsThemEvenWithoutTheCap()
        {
            // The contrast comes from the program's slow reuse against a fast copy; a program that
            // touches each page every 5% of memory keeps them either way, so the step reports the
            // uncapped side as not behaving as the scenario needs.
            var frequent = new BufferCacheStep(reuseIntervalShare: 0.05).Compare(new DemoSettings(Seed: 3, Quick: true));
            Assert.That(frequent.Uncapped.ProgramPagesEvicted, Is.Zero);
            Assert.That(frequent.BehavedAsExpected, Is.False);
        }

        private BufferCacheResult result;
    }
}
