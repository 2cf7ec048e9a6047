using System.IO;
using System.Linq;
using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests.CheckerTests
{
    // The Robot checks fail on the mistakes they exist for, and pass a correct suite.
    [TestFixture]
    public class RobotSuiteCheckerTests
    {
        [SetUp]
        public void MakeDirectory()
        {
            directory = Path.Combine(Path.GetTempPath(), "framealloc-robot-" + Path.GetRandomFileName());
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "exists.resc"), "# nothing\n");
            File.WriteAllText(Path.Combine(directory, "shared.resource"),
                "*** Keywords ***\n" +
                "Write Register\n" +
                "    [Arguments]    ${address}    ${value}    ${width}=32\n" +
                "    Execute Command    sysbus WriteDoubleWord ${address} ${value}\n");
        }

        [TearDown]
        public void RemoveDirectory()
        {
            Directory.Delete(directory, true);
        }

        [Test]
        public void AcceptsACorrectSuite()
        {
            var checker = Check(
                "*** Settings ***\n" +
                "Resource    ${CURDIR}/shared.resource\n" +
                "\n" +
                "*** Variables ***\n" +
                "${SCRIPT}    ${CURDIR}/exists.resc\n" +
                "\n" +
                "*** Test Cases ***\n" +
                "Does Things\n" +
                "    Execute Command    include @${SCRIPT}\n" +
                "    Create Log Tester    0\n" +
                "    Write Register    0x1000    1\n" +
                "    Write Register    0x1000    1    16\n" +
                "    ${value}=    Execute Command    sysbus ReadDoubleWord 0x1000\n" +
                "    Should Be Equal As Integers    ${value}    1\n" +
                "    Wait For Log Entry    something    timeout=0\n" +
                "    FOR    ${i}    IN RANGE    4\n" +
                "        Write Register    ${i}    ...\n" +
                "    END\n" +
                "    Run Keyword And Expect Error    *    Write Register    1    2\n" +
                "    Execute Command    include    # the comment is not an argument\n" +
                "    ...    @${CURDIR}/exists.resc\n");

            Assert.That(checker.CheckKeywords(), Is.Empty);
            Assert.That(checker.CheckFiles(), Is.Empty);
            // 10 steps, one nested call, one step in the resource keyword.
            Assert.That(checker.CallsChecked, Is.EqualTo(12));
        }

        [TestCase("    Excute Command    help", "unknown keyword 'Excute Command'", TestName = "misspelt keyword")]
        [TestCase("    Write Register    0x1000", "takes 2..3 argument(s), given 1", TestName = "too few arguments to a user keyword")]
        [TestCase("    Write Register    1    2    3    4", "given 4", TestName = "too many arguments to a user keyword")]
        [TestCase("    Wait For Log Entry    text    timout=1", "no parameter 'timout'", TestName = "misspelt named argument")]
        [TestCase("    Should Be Equal As Integers    1", "takes 2..5 arguments", TestName = "too few arguments to BuiltIn")]
        [TestCase("    Run Keyword And Expect Error    *    Writ Register    1    2", "unknown keyword 'Writ Register'", TestName = "unknown nested keyword")]
        [TestCase("    IF    True    Log    x", "inline IF", TestName = "inline IF")]
        [TestCase("    ${x}=", "assignment without a keyword", TestName = "assignment alone")]
        [TestCase("    ${limit}=    Set Variable    1", "same variable as a suite variable", TestName = "assignment hides a suite variable")]
        [TestCase("    FOR    ${Li_mit}    IN RANGE    2\n        Log    x\n    END", "same variable as a suite variable", TestName = "loop variable hides a suite variable")]
        public void ReportsKeywordMistakes(string step, string expected)
        {
            var checker = Check(
                "*** Settings ***\n" +
                "Resource    shared.resource\n" +
                "*** Variables ***\n" +
                "${LIMIT}    4\n" +
                "*** Test Cases ***\n" +
                "Broken\n" +
                step + "\n");

            Assert.That(checker.CheckKeywords(), Has.One.Contains(expected));
        }

        [TestCase("    Execute Command    include @${CURDIR}/missing.resc", "missing.resc", TestName = "missing file")]
        [TestCase("    Execute Command    include @platforms/x.resc", "relative to Renode's installation", TestName = "Renode-relative path")]
        [TestCase("    Execute Command    include $ORIGIN/x.resc", "only exists inside .resc scripts", TestName = "ORIGIN outside a script")]
        public void ReportsFileMistakes(string step, string expected)
        {
            var checker = Check("*** Test Cases ***\nBroken\n" + step + "\n");

            Assert.That(checker.CheckFiles(), Has.One.Contains(expected));
        }

        [Test]
        public void ReportsAMissingResource()
        {
            var checker = Check("*** Settings ***\nResource    ${CURDIR}/nowhere.resource\n*** Test Cases ***\nT\n    Log    x\n");

            Assert.That(checker.CheckKeywords(), Has.Some.Contains("nowhere.resource"));
            Assert.That(checker.CheckFiles(), Has.Some.Contains("nowhere.resource"));
        }

        private RobotSuiteChecker Check(string text)
        {
            var path = Path.Combine(directory, "suite.robot");
            File.WriteAllText(path, text);
            return new RobotSuiteChecker(path);
        }

        private string directory;
    }
}
