using System.Text;
using System.Text.Json.Nodes;

namespace Ccs.Infra.Tests.Arm;

/// <summary>
/// Evaluates template JSON: plain values as they are, "[...]" strings as Resource Manager expressions
/// (function calls, 'string' and integer literals, .member and [index] access). "[[" escapes a literal "[".
/// </summary>
internal static class ArmExpression
{
    public static object? Evaluate(JsonNode? node, TemplateScope scope) => node switch
    {
        null => null,
        JsonObject obj => EvaluateObject(obj, scope),
        JsonArray array => array.Select(item => Evaluate(item, scope)).ToList(),
        JsonValue value when value.TryGetValue(out string? text) => EvaluateString(text, scope),
        JsonValue value when value.TryGetValue(out bool flag) => flag,
        JsonValue value when value.TryGetValue(out long number) => number,
        _ => throw new NotSupportedException($"Unsupported template value {node.ToJsonString()}"),
    };

    public static object? EvaluateString(string text, TemplateScope scope)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..];
        }

        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            return text;
        }

        var parser = new Parser(text[1..^1], scope);
        var value = parser.ParseExpression();
        parser.ExpectEnd();
        return value;
    }

    private static Dictionary<string, object?> EvaluateObject(JsonObject obj, TemplateScope scope)
    {
        // Keys can be expressions too: userAssignedIdentities is keyed by the identity's resource id.
        var result = ArmValues.NewObject();
        foreach (var (key, value) in obj)
        {
            result[ArmValues.Text(EvaluateString(key, scope))] = Evaluate(value, scope);
        }

        return result;
    }

    private sealed class Parser(string text, TemplateScope scope)
    {
        private int position;

        public object? ParseExpression()
        {
            SkipWhitespace();
            var value = Peek() switch
            {
                '\'' => ParseString(),
                var c when char.IsAsciiDigit(c) || c == '-' => ParseNumber(),
                _ => ParseCall(),
            };

            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    value = ArmValues.Member(value, ParseIdentifier());
                }
                else if (TryConsume('['))
                {
                    var index = ParseExpression();
                    Expect(']');
                    value = ArmValues.Index(value, index);
                }
                else
                {
                    return value;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipWhitespace();
            if (position != text.Length)
            {
                throw Error("end of expression");
            }
        }

        private object? ParseCall()
        {
            var name = ParseIdentifier();
            Expect('(');
            var args = new List<object?>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));

                Expect(')');
            }

            return ArmFunctions.Invoke(name, args, scope);
        }

        private string ParseString()
        {
            Expect('\'');
            var result = new StringBuilder();
            while (true)
            {
                var c = Next();
                if (c != '\'')
                {
                    result.Append(c);
                }
                else if (Peek() == '\'')
                {
                    result.Append(Next());
                }
                else
                {
                    return result.ToString();
                }
            }
        }

        private long ParseNumber()
        {
            var start = position;
            TryConsume('-');
            while (char.IsAsciiDigit(Peek()))
            {
                position++;
            }

            return long.Parse(text.AsSpan(start, position - start));
        }

        private string ParseIdentifier()
        {
            var start = position;
            while (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '_' || Peek() == '$')
            {
                position++;
            }

            return position > start ? text[start..position] : throw Error("a name");
        }

        private void SkipWhitespace()
        {
            while (char.IsWhiteSpace(Peek()))
            {
                position++;
            }
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private char Next() => position < text.Length ? text[position++] : throw Error("more input");

        private bool TryConsume(char expected)
        {
            if (Peek() != expected)
            {
                return false;
            }

            position++;
            return true;
        }

        private void Expect(char expected)
        {
            if (!TryConsume(expected))
            {
                throw Error($"'{expected}'");
            }
        }

        private FormatException Error(string expected) =>
            new($"Expected {expected} at {position} in [{text}]");
    }
}
