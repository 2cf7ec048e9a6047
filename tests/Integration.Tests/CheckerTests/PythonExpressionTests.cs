using System;
using System.Collections.Generic;
using System.Numerics;
using NUnit.Framework;
using RenodeFrameAlloc.Integration.Tests.Rehearsal;

namespace RenodeFrameAlloc.Integration.Tests.CheckerTests
{
    // The rehearsal's expressions must mean what Python makes of them (the suites run under
    // Robot's Evaluate, which is Python). Expected values are what CPython 3 prints for each.
    [TestFixture]
    public class PythonExpressionTests
    {
        [TestCase("1 | 2 & 3", "3")]
        [TestCase("1 + 2 * 3", "7")]
        [TestCase("-7 // 2", "-4")]
        [TestCase("-7 % 2", "1")]
        [TestCase("7 % -2", "-1")]
        [TestCase("(0x1000 + 0xFFF) // 0x1000 * 0x1000", "4096")]
        [TestCase("1 << 4 + 1", "32")]
        [TestCase("0xFFFFFFFFFFFFFFFF + 2", "18446744073709551617")]
        [TestCase("(0x1FFFFFFFF) >> 32", "1")]
        [TestCase("True + 1", "2")]
        [TestCase("not 0", "True")]
        [TestCase("0 or 5", "5")]
        [TestCase("3 and 0", "0")]
        [TestCase("1 < 2 < 3", "True")]
        [TestCase("3 > 2 > 2", "False")]
        [TestCase("0x10 == 16", "True")]
        [TestCase("~5", "-6")]
        [TestCase("int(\" 0x1F \".strip(), 0)", "31")]
        [TestCase("int(\"017\", 10)", "17")]
        [TestCase("10 * 2 + (0xFC0 > 0)", "21")]
        [TestCase("2 ^ 3 | 4", "5")]
        public void EvaluatesAsPythonDoes(string expression, string python)
        {
            Assert.That(PythonExpression.ToText(PythonExpression.Evaluate(expression, _ => null)), Is.EqualTo(python));
        }

        [Test]
        public void VariablesAreObjectsAndListsAreShared()
        {
            var list = new List<object>();
            var variables = new Dictionary<string, object> { { "raw", "0x00000010\n" }, { "sample", list }, { "value", new BigInteger(7) } };

            Assert.That(PythonExpression.Evaluate("int($raw.strip(), 0)", n => variables[n]), Is.EqualTo(new BigInteger(16)));
            PythonExpression.Evaluate("$sample.append($value)", n => variables[n]);
            Assert.That(list, Is.EqualTo(new object[] { new BigInteger(7) }));
        }

        [TestCase("1 / 2", TestName = "true division")]
        [TestCase("2 ** 3", TestName = "power")]
        [TestCase("int(\"0x1F\")", TestName = "int of hex text without a base")]
        [TestCase("int(\"08\", 0)", TestName = "leading zero with base 0")]
        [TestCase("\"a\" + 1", TestName = "string plus number")]
        [TestCase("len", TestName = "bare name")]
        public void RefusesWhatItDoesNotModel(string expression)
        {
            Assert.Throws<NotSupportedException>(() => PythonExpression.Evaluate(expression, _ => null));
        }
    }
}
