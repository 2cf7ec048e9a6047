using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Rehearsal;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Every Robot test case played against the plugin's own peripherals on the stand-in board (see
    // RobotRehearsal): the register sequences, descriptor layouts, expected values and log lines of
    // the suites are checked here, so a wrong offset or expectation fails in CI rather than on the
    // first machine with Renode. Test cases that need Renode itself must stop exactly at the step
    // Renode alone can do (listed below, with the reason); every other test case must pass.
    [TestFixture]
    public class RehearsalTests
    {
        public static IEnumerable<TestCaseData> Cases()
        {
            foreach(var suite in FileReferenceTests.RobotSuites())
            {
                foreach(var test in new RobotRehearsal(RepositoryLayout.Path(suite)).TestNames)
                {
                    yield return new TestCaseData(suite, test).SetName($"{suite}: {test}");
                }
            }
        }

        [TestCaseSource(nameof(Cases))]
        public void TestCasePlaysAgainstThePlugin(string suite, string test)
        {
            var rehearsal = new RobotRehearsal(RepositoryLayout.Path(suite));
            if(NeedsRenode.TryGetValue((suite, test), out var reason))
            {
                var stopped = Assert.Throws<RehearsalUnsupportedException>(() => rehearsal.Run(test), $"expected to need Renode for: {reason}");
                Assert.That(stopped.Message, Does.Contain(reason));
                return;
            }
            rehearsal.Run(test);
        }

        [Test]
        public void EveryListedExceptionIsARealTestCase()
        {
            var all = Cases().Select(c => ((string)c.Arguments[0], (string)c.Arguments[1])).ToList();

            Assert.That(NeedsRenode.Keys, Is.SubsetOf(all));
        }

        // Test cases whose point is something only Renode has, and the step where the rehearsal stops.
        private static readonly Dictionary<(string, string), string> NeedsRenode = new Dictionary<(string, string), string>
        {
            { ("robot-tests/snapshot.robot", "Transfer In Flight Completes The Same After Save And Load"), "monitor command 'Save" },
            { ("robot-tests/snapshot.robot", "Transfer In Flight Completes The Same After Save And Load In Another Renode Process"), "monitor command 'Save" },
            { ("robot-tests/tlb.robot", "Stock Renode Dma Behind The Tlb"), "a second platform description" },
            { ("robot-tests/dma-checker.robot", "Stock Dma Beyond Its Reach Is Reported"), "a second platform description" },
            { ("robot-tests/dma-checker.robot", "Stock Dma Behind The Tlb Writing A Free Frame Is Reported"), "a second platform description" },
            { ("robot-tests/dma-checker.robot", "Correct Firmware Has No Findings"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Without Prewrite Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Returning The Buffer While The Engine Writes Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Unloading Too Early Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Syncing The Wrong Direction Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Leaking A Map Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Reading Without Postread Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Writing A Buffer The Engine Owns Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stop On Finding Pauses The Emulation Right After The Offending Load"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stop On Finding Pauses The Emulation Right After The Offending Store"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Firmware Leaking Bounce Frames Is Caught"), "keyword 'Create Terminal Tester'" },
            // Renode's .repl loader, its creation order and a CPU added to a machine that has a checker.
            { ("robot-tests/dma-checker.robot", "Stop On Finding Set In A Repl Before The Cpu Switches The Cpu"), "machine LoadPlatformDescriptionFromString" },
            { ("robot-tests/dma-checker.robot", "Stop On Finding Stays On After A Snapshot Load"), "sysbus.cpu MaximumBlockSize" },
            { ("robot-tests/dma-checker.robot", "Stale Byte Read Off A Line Start Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stale Halfword Read Off A Line Start Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stale Word Read Off A Line Start Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stale Doubleword Read Off A Line Start Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Halfword Store Into A Buffer The Engine Owns Is Caught Off A Line Start"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stale Read After An Unload Without Postread Is Caught"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-checker.robot", "Stale Read After A Snapshot Load Is Still Caught"), "keyword 'Create Terminal Tester'" },
            // A hart running guest code, and a UART: what the firmware suite is about.
            { ("robot-tests/firmware.robot", "Self-Test Firmware Passes Every Test Within The Virtual Time Bound"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/firmware.robot", "First Driver Example Copies Its Buffer"), "keyword 'Create Terminal Tester'" },
            { ("robot-tests/dma-fast-path.robot", "The Hart Executes Code A Transfer Just Wrote"), "sysbus.cpu GetRegister 10" },
            { ("robot-tests/dma-fast-path.robot", "A Destination Running From Ram Into Registers Stops And Touches Nothing"), "access to 0x2000000, clint" },
            { ("robot-tests/dma-fast-path.robot", "A Snapshot Taken Between Steps Completes With The Same Bytes"), "monitor command 'Save" },
            { ("robot-tests/dma-fast-path.robot", "A Large Copy Allocates Nothing Of Its Size"), "monitor command 'python" },
            // The hart TLB's suite runs firmware on the hart (the first step past the board is its fragment).
            { ("robot-tests/hart-tlb.robot", "Miss Handler Refills From A Page Table In Unmapped Pool Frames"), "a second platform description" },
            { ("robot-tests/hart-tlb.robot", "A Miss Traps Precisely At The Faulting Instruction"), "a second platform description" },
            { ("robot-tests/hart-tlb.robot", "Snapshot With A Miss Pending Restores And Finishes The Same"), "a second platform description" },
        };
    }
}
