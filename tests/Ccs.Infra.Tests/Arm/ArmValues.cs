using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ccs.Infra.Tests.Arm;

/// <summary>
/// The value model of the simulation: string, long, bool, null, <see cref="List{T}"/> of values,
/// <see cref="Dictionary{TKey,TValue}"/> (case-insensitive keys, as in Resource Manager) and
/// <see cref="RuntimeValue"/>.
/// </summary>
internal static class ArmValues
{
    public static Dictionary<string, object?> NewObject() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A parameter file value: plain JSON, where "[...]" is not an expression.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(
            pair => pair.Key, pair => FromJson(pair.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonValue value when value.TryGetValue(out bool flag) => flag,
        JsonValue value when value.TryGetValue(out long number) => number,
        _ => throw new NotSupportedException($"Unsupported parameter value {node.ToJsonString()}"),
    };

    public static object? Member(object? value, string name) => value switch
    {
        Dictionary<string, object?> map when map.TryGetValue(name, out var member) => member,
        Dictionary<string, object?> map => throw new KeyNotFoundException(
            $"No property '{name}' among {string.Join(", ", map.Keys)}"),
        RuntimeValue runtime => runtime.Member(name),
        _ => throw new InvalidOperationException($"Cannot read '{name}' of {Describe(value)}"),
    };

    public static object? Index(object? value, object? index) => (value, index) switch
    {
        (List<object?> list, long position) => list[checked((int)position)],
        (_, string name) => Member(value, name),
        (RuntimeValue runtime, _) => runtime.Member($"[{Text(index)}]"),
        _ => throw new InvalidOperationException($"Cannot index {Describe(value)} with {Describe(index)}"),
    };

    /// <summary>The string form Resource Manager uses in format() and string().</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "True" : "False",
        RuntimeValue runtime => runtime.ToString(),
        _ => JsonSerializer.Serialize(value),
    };

    public static bool AreEqual(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        (List<object?> a, List<object?> b) =>
            a.Count == b.Count && a.Zip(b).All(pair => AreEqual(pair.First, pair.Second)),
        _ => Equals(left, right),
    };

    private static string Describe(object? value) => value?.GetType().Name ?? "null";
}
