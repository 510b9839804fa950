using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ccs.Infra.Tests.Arm;

/// <summary>
/// The template functions the compiled templates use, with Resource Manager's semantics where the result is known
/// before deployment. uniqueString() and guid() are deterministic stand-ins: stable, but not Azure's values.
/// An unknown function fails loudly, so a template change that needs one more is noticed here, not guessed at.
/// </summary>
internal static class ArmFunctions
{
    public static object? Invoke(string name, List<object?> args, TemplateScope scope) => name.ToLowerInvariant() switch
    {
        "parameters" => scope.Parameter(Text(args[0])),
        "variables" => scope.Variable(Text(args[0])),
        "copyindex" => scope.CopyIndex + (args.Count > 0 && args[^1] is long offset ? offset : 0),
        "format" => Format(args),
        "string" => Text(args[0]),
        "int" => long.Parse(Text(args[0]), CultureInfo.InvariantCulture),
        "tolower" => Text(args[0]).ToLowerInvariant(),
        "toupper" => Text(args[0]).ToUpperInvariant(),
        "concat" => args.All(arg => arg is List<object?>)
            ? args.SelectMany(arg => (List<object?>)arg!).ToList()
            : string.Concat(args.Select(Text)),
        "createarray" => args,
        "createobject" => CreateObject(args),
        "flatten" => args.Cast<List<object?>>().Single().SelectMany(item => (List<object?>)item!).ToList(),
        "length" => Length(args[0]),
        "union" => Union(args),
        "empty" => args[0] is null || Length(args[0]) == 0,
        "equals" => ArmValues.AreEqual(args[0], args[1]),
        "not" => !(bool)args[0]!,
        "and" => args.All(arg => (bool)arg!),
        "or" => args.Any(arg => (bool)arg!),
        "if" => (bool)args[0]! ? args[1] : args[2],
        "coalesce" => args.FirstOrDefault(arg => arg is not null),
        "true" => true,
        "false" => false,
        "null" => null,
        "uniquestring" => UniqueString(args),
        "guid" => Guid(args),
        "subscription" => Object(
            ("id", scope.Target.SubscriptionScope),
            ("subscriptionId", scope.Target.SubscriptionId),
            ("tenantId", DeploymentTarget.TenantId)),
        "tenant" => Object(("tenantId", DeploymentTarget.TenantId)),
        "resourcegroup" => Object(
            ("id", scope.Target.ScopeId),
            ("name", scope.Target.ResourceGroup),
            ("location", scope.Target.Location)),
        "resourceid" => ResourceId(args, scope),
        "subscriptionresourceid" => SubscriptionResourceId(args, scope),
        "extensionresourceid" => ResourceIds.Build(Text(args[0]), Text(args[1]), args.Skip(2).Select(Text)),
        "reference" => scope.Reference(Text(args[0])),
        "listkeys" => new RuntimeValue($"listKeys({Text(args[0])})"),
        _ => throw new NotSupportedException($"The ARM simulation does not know '{name}()'; add it to ArmFunctions."),
    };

    private static string Text(object? value) => ArmValues.Text(value);

    private static string Format(List<object?> args) =>
        string.Format(CultureInfo.InvariantCulture, Text(args[0]), args.Skip(1).Select(Text).ToArray<object>());

    private static long Length(object? value) => value switch
    {
        string text => text.Length,
        List<object?> list => list.Count,
        Dictionary<string, object?> map => map.Count,
        _ => throw new InvalidOperationException($"length() of {value?.GetType().Name ?? "null"}"),
    };

    private static Dictionary<string, object?> CreateObject(List<object?> args)
    {
        var result = ArmValues.NewObject();
        for (var i = 0; i < args.Count; i += 2)
        {
            result[Text(args[i])] = args[i + 1];
        }

        return result;
    }

    private static Dictionary<string, object?> Object(params (string Key, object? Value)[] members)
    {
        var result = ArmValues.NewObject();
        foreach (var (key, value) in members)
        {
            result[key] = value;
        }

        return result;
    }

    private static object Union(List<object?> args)
    {
        if (args.All(arg => arg is List<object?>))
        {
            return args.SelectMany(arg => (List<object?>)arg!).Distinct().ToList();
        }

        // Shallow merge, later arguments win: enough for tags, which is all the templates merge.
        var result = ArmValues.NewObject();
        foreach (var map in args.Cast<Dictionary<string, object?>>())
        {
            foreach (var (key, value) in map)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static string ResourceId(List<object?> args, TemplateScope scope)
    {
        // resourceId([subscriptionId], [resourceGroupName], type, name...): the type is the first argument with a '/'.
        var typeAt = args.FindIndex(arg => Text(arg).Contains('/'));
        var target = scope.Target;
        var scopeId = typeAt switch
        {
            0 => target.ScopeId,
            1 => target.ResourceGroupScope(Text(args[0])),
            _ => (target with { SubscriptionId = Text(args[0]) }).ResourceGroupScope(Text(args[1])),
        };
        return ResourceIds.Build(scopeId, Text(args[typeAt]), args.Skip(typeAt + 1).Select(Text));
    }

    private static string SubscriptionResourceId(List<object?> args, TemplateScope scope)
    {
        var typeAt = args.FindIndex(arg => Text(arg).Contains('/'));
        var subscription = typeAt == 0 ? scope.Target.SubscriptionScope : $"/subscriptions/{Text(args[0])}";
        return ResourceIds.Build(subscription, Text(args[typeAt]), args.Skip(typeAt + 1).Select(Text));
    }

    private static string UniqueString(List<object?> args)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var hash = Hash(args);
        return new string(hash.Take(13).Select(b => alphabet[b % alphabet.Length]).ToArray());
    }

    private static string Guid(List<object?> args) => new Guid(Hash(args).AsSpan(0, 16)).ToString();

    private static byte[] Hash(List<object?> args) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', args.Select(Text))));
}
