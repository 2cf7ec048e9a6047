using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Integration.Tests.Parsing;

namespace RenodeFrameAlloc.Integration.Tests
{
    // The keywords a suite run by renode-test has without defining them:
    // - Renode's remote keyword library (renode/renode src/Renode/RobotFrameworkEngine/RenodeKeywords.cs
    //   and UartKeywords.cs: parameter names and counts as declared there; Execute Command also takes its command split
    //   into several cells) and the keywords of tests/renode-keywords.robot, which renode-test
    //   imports into every suite;
    // - Robot Framework's BuiltIn library (argument counts only where the suites rely on them).
    // A keyword missing here is a typo or a library the suites would have to import.
    public static class KeywordCatalog
    {
        public static bool TryFind(string name, out KnownKeyword keyword)
        {
            return byName.TryGetValue(RobotFile.Normalize(name), out keyword);
        }

        private static Dictionary<string, KnownKeyword> Build()
        {
            var keywords = new List<KnownKeyword>
            {
                // RenodeKeywords.cs
                new KnownKeyword("Reset Emulation", 0, 0),
                new KnownKeyword("Start Emulation", 0, 0),
                new KnownKeyword("Execute Command", 1, -1, "machine"),
                new KnownKeyword("Execute Python", 1, 2, "command", "machine"),
                new KnownKeyword("Execute Script", 1, 1, "path"),
                new KnownKeyword("Stop Remote Server", 0, 0),
                new KnownKeyword("Handle Hot Spot", 1, 1, "action"),
                new KnownKeyword("Provides", 1, 2, "state", "type"),
                new KnownKeyword("Requires", 1, 1, "state"),
                new KnownKeyword("Wait For Pause", 1, 1, "timeout"),
                new KnownKeyword("Allocate Temporary File", 0, 0),
                new KnownKeyword("Create Log Tester", 1, 2, "timeout", "defaultPauseEmulation"),
                new KnownKeyword("Wait For Log Entry", 1, 6, "pattern", "timeout", "keep", "treatAsRegex", "pauseEmulation", "level"),
                new KnownKeyword("Should Not Be In Log", 1, 5, "pattern", "timeout", "treatAsRegex", "pauseEmulation", "level"),
                new KnownKeyword("Clear Log Tester History", 0, 0),
                new KnownKeyword("Log To File", 1, 2, "filePath", "flushAfterEveryWrite"),
                // UartKeywords.cs
                new KnownKeyword("Create Terminal Tester", 1, 8, "uart", "timeout", "machine", "endLineOption",
                    "defaultPauseEmulation", "defaultWaitForEcho", "defaultMatchNextLine", "binaryMode"),
                new KnownKeyword("Wait For Line On Uart", 1, 7, "content", "timeout", "testerId", "treatAsRegex",
                    "includeUnfinishedLine", "pauseEmulation", "matchNextLine"),
                new KnownKeyword("Register Failing Uart String", 1, 3, "pattern", "treatAsRegex", "testerId"),
                // tests/renode-keywords.robot
                new KnownKeyword("Setup", 0, 0),
                new KnownKeyword("Teardown", 0, 0),
                new KnownKeyword("Test Setup", 0, 0),
                new KnownKeyword("Test Teardown", 0, 0),
                new KnownKeyword("Hot Spot", 0, 0),
                // BuiltIn
                new KnownKeyword("Should Be Equal As Integers", 2, 5, "first", "second", "msg", "values", "base"),
                new KnownKeyword("Should Not Be Equal As Integers", 2, 5, "first", "second", "msg", "values", "base"),
                new KnownKeyword("Should Be Equal", 2, 8, "first", "second", "msg", "values", "ignore_case", "formatter", "strip_spaces", "collapse_spaces"),
                new KnownKeyword("Should Not Be Equal", 2, 7),
                new KnownKeyword("Should Be Equal As Strings", 2, 8),
                new KnownKeyword("Should Be True", 1, 2, "condition", "msg"),
                new KnownKeyword("Should Not Be True", 1, 2),
                new KnownKeyword("Should Contain", 2, 7, "container", "item", "msg", "values", "ignore_case", "strip_spaces", "collapse_spaces"),
                new KnownKeyword("Should Not Contain", 2, 7),
                new KnownKeyword("Should Match Regexp", 2, 4),
                new KnownKeyword("Evaluate", 1, 3, "expression", "modules", "namespace"),
                new KnownKeyword("Set Variable", 0, -1),
                new KnownKeyword("Set Test Variable", 1, -1),
                new KnownKeyword("Set Suite Variable", 1, -1),
                new KnownKeyword("Catenate", 0, -1),
                new KnownKeyword("Convert To Integer", 1, 2, "item", "base"),
                new KnownKeyword("Log", 1, 6),
                new KnownKeyword("Log To Console", 1, 4),
                new KnownKeyword("Fail", 0, -1),
                new KnownKeyword("No Operation", 0, 0),
                new KnownKeyword("Sleep", 1, 2),
                new KnownKeyword("Run Keyword", 1, -1),
                new KnownKeyword("Run Keyword And Expect Error", 2, -1),
                new KnownKeyword("Run Keyword And Ignore Error", 1, -1),
                new KnownKeyword("Run Keyword And Return Status", 1, -1),
                new KnownKeyword("Wait Until Keyword Succeeds", 3, -1),
                new KnownKeyword("Create List", 0, -1),
                new KnownKeyword("Get Length", 1, 1),
                new KnownKeyword("Length Should Be", 2, 3),
                // Collections, which tests/renode-keywords.robot imports
                new KnownKeyword("Append To List", 2, -1, "list_", "values"),
                new KnownKeyword("Lists Should Be Equal", 2, 5, "list1", "list2", "msg", "values", "names"),
                // Process and OperatingSystem, which tests/renode-keywords.robot imports
                new KnownKeyword("Run Process", 1, -1),
                new KnownKeyword("Create File", 1, 3, "path", "content", "encoding"),
                new KnownKeyword("File Should Exist", 1, 2, "path", "msg"),
            };
            return keywords.ToDictionary(k => RobotFile.Normalize(k.Name));
        }

        // Keywords whose argument at this index is itself a keyword name, checked like a call.
        public static readonly IReadOnlyDictionary<string, int> NestedKeywordPosition = new Dictionary<string, int>
        {
            { RobotFile.Normalize("Run Keyword"), 0 },
            { RobotFile.Normalize("Run Keyword And Expect Error"), 1 },
            { RobotFile.Normalize("Run Keyword And Ignore Error"), 0 },
            { RobotFile.Normalize("Run Keyword And Return Status"), 0 },
            { RobotFile.Normalize("Wait Until Keyword Succeeds"), 2 },
        };

        private static readonly Dictionary<string, KnownKeyword> byName = Build();
    }
}
