using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The Robot suites cannot run here (no Renode), so what can be known without running them is
    // checked: every keyword they call exists and gets an argument count it accepts.
    [TestFixture]
    public class RobotSuiteTests
    {
        [TestCaseSource(typeof(FileReferenceTests), nameof(FileReferenceTests.RobotSuites))]
        public void SuiteCallsOnlyKnownKeywordsWithAcceptedArguments(string suite)
        {
            var checker = new RobotSuiteChecker(RepositoryLayout.Path(suite));

            Assert.That(checker.CheckKeywords(), Is.Empty);
            Assert.That(checker.CallsChecked, Is.GreaterThan(0), "the checker found no keyword call to check");
        }

        [TestCaseSource(typeof(FileReferenceTests), nameof(FileReferenceTests.RobotSuites))]
        public void SuiteHasTestCases(string suite)
        {
            var checker = new RobotSuiteChecker(RepositoryLayout.Path(suite));

            Assert.That(checker.Suite.TestCases, Is.Not.Empty);
        }
    }
}
