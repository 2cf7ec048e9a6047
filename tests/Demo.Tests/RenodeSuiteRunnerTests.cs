using System;
using System.IO;
using NUnit.Framework;
using RenodeFrameAlloc.Cli;

namespace RenodeFrameAlloc.Demo.Tests
{
    // --renode: runs robot-tests/*.robot with renode-test when it is on the path; says so clearly
    // and exits non-zero when it is not.
    public class RenodeSuiteRunnerTests
    {
        [SetUp]
        public void MakeDirectories()
        {
            scratch = Path.Combine(Path.GetTempPath(), "renode-framealloc-renode-test-" + Guid.NewGuid().ToString("N"));
            bin = Directory.CreateDirectory(Path.Combine(scratch, "bin")).FullName;
            repository = Directory.CreateDirectory(Path.Combine(scratch, "repo")).FullName;
        }

        [TearDown]
        public void RemoveDirectories()
        {
            Directory.Delete(scratch, true);
        }

        [Test]
        public void WithoutRenodeTestItSaysSoAndFails()
        {
            var said = string.Empty;
            var code = new RenodeSuiteRunner(bin, repository).Run(line => said += line);
            Assert.That(code, Is.EqualTo(RenodeSuiteRunner.NotAvailable));
            Assert.That(said, Does.Contain("renode-test is not on PATH"));
        }

        [Test]
        public void WithoutSuitesItSaysSoAndFails()
        {
            FakeRenodeTest(0);
            var said = string.Empty;
            var code = new RenodeSuiteRunner(bin, repository).Run(line => said += line);
            Assert.That(code, Is.EqualTo(RenodeSuiteRunner.NotAvailable));
            Assert.That(said, Does.Contain("no Robot suites"));
        }

        [Test]
        public void RunsEverySuiteAndReturnsTheRunnersExitCode()
        {
            Assume.That(OperatingSystem.IsWindows(), Is.False, "the fake renode-test is a shell script");
            var suites = Directory.CreateDirectory(Path.Combine(repository, "robot-tests")).FullName;
            File.WriteAllText(Path.Combine(suites, "b.robot"), string.Empty);
            File.WriteAllText(Path.Combine(suites, "a.robot"), string.Empty);
            FakeRenodeTest(4);
            var code = new RenodeSuiteRunner(bin + Path.PathSeparator + "/nonexistent", repository).Run(_ => { });
            Assert.That(code, Is.EqualTo(4));
            Assert.That(File.ReadAllText(Path.Combine(scratch, "args")).Trim(), Is.EqualTo("robot-tests/a.robot robot-tests/b.robot"));
        }

        [Test]
        public void FindsTheRepositoryRootFromBelowIt()
        {
            Directory.CreateDirectory(Path.Combine(repository, "robot-tests"));
            var below = Directory.CreateDirectory(Path.Combine(repository, "x", "y")).FullName;
            Assert.That(RenodeSuiteRunner.FindRepositoryRoot(below), Is.EqualTo(repository));
        }

        private void FakeRenodeTest(int exitCode)
        {
            var script = Path.Combine(bin, "renode-test");
            File.WriteAllText(script, $"#!/bin/sh\necho \"$@\" > '{Path.Combine(scratch, "args")}'\nexit {exitCode}\n");
            if(!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        private string scratch;
        private string bin;
        private string repository;
    }
}
