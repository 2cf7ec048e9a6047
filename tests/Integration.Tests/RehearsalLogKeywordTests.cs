using System;
using System.IO;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Rehearsal;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The rehearsal's log keywords take the named arguments Renode's LogTester takes
    // (treatAsRegex, level, keep), so a suite that uses them is rehearsed as Renode runs it; an
    // argument the rehearsal does not model fails instead of being ignored.
    [TestFixture]
    public class RehearsalLogKeywordTests
    {
        [SetUp]
        public void SetUp()
        {
            directory = Path.Combine(Path.GetTempPath(), "rehearsal-log-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
        }

        [TearDown]
        public void TearDown()
        {
            Directory.Delete(directory, true);
        }

        [TestCase("failed: No.*InWindow    treatAsRegex=true")]
        [TestCase("failed: NoRangeInWindow    level=Warning")]
        [TestCase("failed: NoRangeInWindow    keep=true    timeout=0\n    Wait For Log Entry    failed: NoRangeInWindow")]
        public void MatchingWaitPasses(string arguments)
        {
            Rehearse(arguments);
        }

        [TestCase("failed: No.*InWindow")]
        [TestCase("failed: NoRangeInWindow    level=Error")]
        [TestCase("failed: NoRangeInWindow    timeout=0\n    Wait For Log Entry    failed: NoRangeInWindow")]
        public void WaitWithoutMatchFails(string arguments)
        {
            Assert.Throws<RehearsalFailure>(() => Rehearse(arguments));
        }

        [Test]
        public void UnmodelledArgumentFails()
        {
            var failure = Assert.Throws<RehearsalFailure>(() => Rehearse("failed: NoRangeInWindow    inverse=true"));
            Assert.That(failure.Message, Does.Contain("inverse"));
        }

        // A frame-pool request that fails with NoRangeInWindow (a warning naming the error), then
        // Wait For Log Entry with arguments.
        private void Rehearse(string arguments)
        {
            var resource = RepositoryLayout.Path("robot-tests/framealloc.resource");
            var suite = Path.Combine(directory, "log.robot");
            File.WriteAllText(suite, $@"*** Settings ***
Resource    {resource}

*** Test Cases ***
Log Line
    Create Board
    ${{error}}=    Request Frames    0x1000    ${{BOOTROM}}    0x20010000
    Should Be Equal As Integers    ${{error}}    6
    Wait For Log Entry    {arguments}    timeout=0
");
            new RobotRehearsal(suite).Run("Log Line");
        }

        private string directory;
    }
}
