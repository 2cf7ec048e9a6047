using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace RenodeFrameAlloc.Integration.Tests.Rehearsal
{
    // The part of Python that the suites' `Evaluate` and `Should Be True` expressions use, with
    // Python's meaning: unbounded integers (0x/0o/0b literals), True/False, strings, + - * // %
    // & | ^ << >> ~ and unary minus with Python's precedence, chained comparisons, not/and/or,
    // parentheses, `$name` for a Robot variable's value, int(text, base), str.strip() and
    // list.append(). Anything else is a NotSupportedException, never a guess.
    public sealed class PythonExpression
    {
        public static object Evaluate(string text, Func<string, object> variable)
        {
            var expression = new PythonExpression(text, variable);
            var value = expression.ParseOr();
            expression.SkipSpaces();
            if(expression.position != text.Length)
            {
                throw new NotSupportedException($"unexpected '{text.Substring(expression.position)}' in '{text}'");
            }
            return value;
        }

        public static bool IsTrue(object value)
        {
            switch(value)
            {
            case null:
                return false;
            case bool b:
                return b;
            case BigInteger i:
                return !i.IsZero;
            case string s:
                return s.Length > 0;
            case List<object> list:
                return list.Count > 0;
            default:
                return true;
            }
        }

        // Python's str() of a value, which is what Robot puts into a cell that mixes text and a variable.
        public static string ToText(object value)
        {
            switch(value)
            {
            case null:
                return "None";
            case bool b:
                return b ? "True" : "False";
            case BigInteger i:
                return i.ToString(CultureInfo.InvariantCulture);
            case string s:
                return s;
            case List<object> list:
                var builder = new StringBuilder("[");
                for(var i = 0; i < list.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ").Append(list[i] is string item ? $"'{item}'" : ToText(list[i]));
                }
                return builder.Append(']').ToString();
            default:
                throw new NotSupportedException($"no text form for {value.GetType().Name}");
            }
        }

        private PythonExpression(string text, Func<string, object> variable)
        {
            this.text = text;
            this.variable = variable;
        }

        private object ParseOr()
        {
            var left = ParseAnd();
            while(TryKeyword("or"))
            {
                var right = ParseAnd();
                left = IsTrue(left) ? left : right;
            }
            return left;
        }

        private object ParseAnd()
        {
            var left = ParseNot();
            while(TryKeyword("and"))
            {
                var right = ParseNot();
                left = IsTrue(left) ? right : left;
            }
            return left;
        }

        private object ParseNot()
        {
            if(TryKeyword("not"))
            {
                return !IsTrue(ParseNot());
            }
            return ParseComparison();
        }

        // a < b <= c means a < b and b <= c, each operand evaluated once.
        private object ParseComparison()
        {
            var left = ParseBitOr();
            object result = null;
            while(TryComparison(out var op))
            {
                var right = ParseBitOr();
                var holds = Compare(left, op, right);
                result = result == null ? holds : (bool)result && holds;
                left = right;
            }
            return result ?? left;
        }

        private object ParseBitOr()
        {
            var left = ParseBitXor();
            while(TryOperator("|"))
            {
                left = Integer(left) | Integer(ParseBitXor());
            }
            return left;
        }

        private object ParseBitXor()
        {
            var left = ParseBitAnd();
            while(TryOperator("^"))
            {
                left = Integer(left) ^ Integer(ParseBitAnd());
            }
            return left;
        }

        private object ParseBitAnd()
        {
            var left = ParseShift();
            while(TryOperator("&"))
            {
                left = Integer(left) & Integer(ParseShift());
            }
            return left;
        }

        private object ParseShift()
        {
            var left = ParseSum();
            while(true)
            {
                if(TryOperator("<<"))
                {
                    left = Integer(left) << (int)Integer(ParseSum());
                }
                else if(TryOperator(">>"))
                {
                    left = Integer(left) >> (int)Integer(ParseSum());
                }
                else
                {
                    return left;
                }
            }
        }

        private object ParseSum()
        {
            var left = ParseProduct();
            while(true)
            {
                if(TryOperator("+"))
                {
                    var right = ParseProduct();
                    left = left is string a && right is string b ? (object)(a + b) : Integer(left) + Integer(right);
                }
                else if(TryOperator("-"))
                {
                    left = Integer(left) - Integer(ParseProduct());
                }
                else
                {
                    return left;
                }
            }
        }

        private object ParseProduct()
        {
            var left = ParseUnary();
            while(true)
            {
                if(TryOperator("//"))
                {
                    left = FloorDivide(Integer(left), Integer(ParseUnary()));
                }
                else if(TryOperator("*"))
                {
                    left = Integer(left) * Integer(ParseUnary());
                }
                else if(TryOperator("%"))
                {
                    var divisor = Integer(ParseUnary());
                    var dividend = Integer(left);
                    left = dividend - divisor * FloorDivide(dividend, divisor);
                }
                else
                {
                    return left;
                }
            }
        }

        private object ParseUnary()
        {
            if(TryOperator("-"))
            {
                return -Integer(ParseUnary());
            }
            if(TryOperator("+"))
            {
                return Integer(ParseUnary());
            }
            if(TryOperator("~"))
            {
                return -Integer(ParseUnary()) - 1;
            }
            return ParsePostfix();
        }

        private object ParsePostfix()
        {
            var value = ParseAtom(out var functionName);
            while(true)
            {
                SkipSpaces();
                if(functionName != null && Peek() == '(')
                {
                    value = CallFunction(functionName, ParseArguments());
                    functionName = null;
                    continue;
                }
                if(Peek() == '.')
                {
                    position++;
                    var method = ReadName();
                    var arguments = ParseArguments();
                    value = CallMethod(value, method, arguments);
                    continue;
                }
                if(functionName != null)
                {
                    throw new NotSupportedException($"unknown name '{functionName}' in '{text}'");
                }
                return value;
            }
        }

        private object ParseAtom(out string functionName)
        {
            functionName = null;
            SkipSpaces();
            var c = Peek();
            if(c == '(')
            {
                position++;
                var inner = ParseOr();
                Expect(')');
                return inner;
            }
            if(c == '$')
            {
                position++;
                return variable(ReadName());
            }
            if(c == '"' || c == '\'')
            {
                return ReadString();
            }
            if(char.IsDigit(c))
            {
                return ReadNumber();
            }
            if(char.IsLetter(c) || c == '_')
            {
                var name = ReadName();
                switch(name)
                {
                case "True":
                    return true;
                case "False":
                    return false;
                case "None":
                    return null;
                default:
                    functionName = name;
                    return null;
                }
            }
            throw new NotSupportedException($"unexpected '{(position < text.Length ? text.Substring(position) : "end")}' in '{text}'");
        }

        private List<object> ParseArguments()
        {
            Expect('(');
            var arguments = new List<object>();
            SkipSpaces();
            if(Peek() == ')')
            {
                position++;
                return arguments;
            }
            while(true)
            {
                arguments.Add(ParseOr());
                SkipSpaces();
                if(Peek() == ',')
                {
                    position++;
                    continue;
                }
                Expect(')');
                return arguments;
            }
        }

        private object CallFunction(string name, List<object> arguments)
        {
            if(name == "int" && arguments.Count >= 1 && arguments.Count <= 2)
            {
                if(arguments[0] is string textValue)
                {
                    var numberBase = arguments.Count == 2 ? (int)Integer(arguments[1]) : 10;
                    return ParseIntegerText(textValue.Trim(), numberBase);
                }
                return Integer(arguments[0]);
            }
            if(name == "len" && arguments.Count == 1)
            {
                return arguments[0] is string s ? new BigInteger(s.Length) : new BigInteger(((List<object>)arguments[0]).Count);
            }
            throw new NotSupportedException($"function {name}() with {arguments.Count} argument(s) in '{text}'");
        }

        private object CallMethod(object target, string method, List<object> arguments)
        {
            if(target is string s && method == "strip" && arguments.Count == 0)
            {
                return s.Trim();
            }
            if(target is List<object> list && method == "append" && arguments.Count == 1)
            {
                list.Add(arguments[0]);
                return null;
            }
            throw new NotSupportedException($"method {method} on {target?.GetType().Name ?? "None"} in '{text}'");
        }

        private bool Compare(object left, string op, object right)
        {
            if(op == "==" || op == "!=")
            {
                var equal = left is string || right is string ? Equals(left, right) : Integer(left) == Integer(right);
                return op == "==" ? equal : !equal;
            }
            var a = Integer(left);
            var b = Integer(right);
            switch(op)
            {
            case "<":
                return a < b;
            case "<=":
                return a <= b;
            case ">":
                return a > b;
            default:
                return a >= b;
            }
        }

        private BigInteger Integer(object value)
        {
            switch(value)
            {
            case BigInteger i:
                return i;
            case bool b:
                return b ? BigInteger.One : BigInteger.Zero;
            default:
                throw new NotSupportedException($"{PythonExpression.ToText(value)} is not a number in '{text}' (Python would raise TypeError)");
            }
        }

        private static BigInteger FloorDivide(BigInteger a, BigInteger b)
        {
            var quotient = BigInteger.DivRem(a, b, out var remainder);
            return !remainder.IsZero && (remainder.Sign < 0) != (b.Sign < 0) ? quotient - 1 : quotient;
        }

        private BigInteger ReadNumber()
        {
            var start = position;
            while(position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }
            return ParseIntegerText(text.Substring(start, position - start).Replace("_", string.Empty), 0);
        }

        // int(text, base) as Python does it for the forms used here; base 0 reads the prefix.
        private BigInteger ParseIntegerText(string value, int numberBase)
        {
            var negative = value.StartsWith("-", StringComparison.Ordinal);
            var digits = negative || value.StartsWith("+", StringComparison.Ordinal) ? value.Substring(1) : value;
            var lower = digits.ToLowerInvariant();
            if(numberBase == 0 || numberBase == 16 || numberBase == 8 || numberBase == 2)
            {
                foreach(var (prefix, prefixBase) in new[] { ("0x", 16), ("0o", 8), ("0b", 2) })
                {
                    if(lower.StartsWith(prefix, StringComparison.Ordinal) && (numberBase == 0 || numberBase == prefixBase))
                    {
                        lower = lower.Substring(2);
                        numberBase = prefixBase;
                        break;
                    }
                }
                if(numberBase == 0)
                {
                    if(lower.Length > 1 && lower[0] == '0' && lower.TrimStart('0').Length > 0)
                    {
                        throw new NotSupportedException($"'{value}': Python rejects leading zeros in a decimal literal");
                    }
                    numberBase = 10;
                }
            }
            if(lower.Length == 0)
            {
                throw new NotSupportedException($"'{value}' is not an integer");
            }
            var result = BigInteger.Zero;
            foreach(var c in lower)
            {
                var digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
                if(digit >= numberBase)
                {
                    throw new NotSupportedException($"'{value}' is not an integer in base {numberBase} (Python would raise ValueError)");
                }
                result = result * numberBase + digit;
            }
            return negative ? -result : result;
        }

        private string ReadString()
        {
            var quote = text[position++];
            var start = position;
            while(position < text.Length && text[position] != quote)
            {
                if(text[position] == '\\')
                {
                    throw new NotSupportedException($"escapes in strings in '{text}'");
                }
                position++;
            }
            Expect(quote);
            return text.Substring(start, position - start - 1);
        }

        private string ReadName()
        {
            var start = position;
            while(position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }
            if(position == start)
            {
                throw new NotSupportedException($"a name expected at {start} in '{text}'");
            }
            return text.Substring(start, position - start);
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpaces();
            if(string.CompareOrdinal(text, position, keyword, 0, keyword.Length) == 0
                && (position + keyword.Length == text.Length || !(char.IsLetterOrDigit(text[position + keyword.Length]) || text[position + keyword.Length] == '_')))
            {
                position += keyword.Length;
                return true;
            }
            return false;
        }

        private bool TryComparison(out string op)
        {
            SkipSpaces();
            foreach(var candidate in new[] { "<=", ">=", "==", "!=", "<", ">" })
            {
                // "<" must not be the start of "<<".
                if(string.CompareOrdinal(text, position, candidate, 0, candidate.Length) == 0
                    && !(candidate.Length == 1 && position + 1 < text.Length && text[position + 1] == candidate[0]))
                {
                    position += candidate.Length;
                    op = candidate;
                    return true;
                }
            }
            op = null;
            return false;
        }

        private bool TryOperator(string op)
        {
            SkipSpaces();
            if(string.CompareOrdinal(text, position, op, 0, op.Length) != 0)
            {
                return false;
            }
            // Do not take "*" from "**", "/" from "//" handled by order, "<" from "<<", "&" from "&&".
            var after = position + op.Length < text.Length ? text[position + op.Length] : '\0';
            if((op == "*" && after == '*') || (op == "<" && after == '<') || (op == ">" && after == '>'))
            {
                return false;
            }
            if(op == "-" && after == '=')
            {
                return false;
            }
            position += op.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if(Peek() != c)
            {
                throw new NotSupportedException($"'{c}' expected at {position} in '{text}'");
            }
            position++;
        }

        private char Peek()
        {
            return position < text.Length ? text[position] : '\0';
        }

        private void SkipSpaces()
        {
            while(position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private int position;
        private readonly string text;
        private readonly Func<string, object> variable;
    }
}
