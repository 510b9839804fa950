namespace Ccs.Infra.Tests.Arm;

internal static class ResourceIds
{
    /// <summary>
    /// "{scope}/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default" from the type
    /// "Microsoft.Storage/storageAccounts/blobServices" and the names "st1", "default" (or "st1/default").
    /// </summary>
    public static string Build(string scopeId, string type, IEnumerable<string> names)
    {
        var typeSegments = type.Split('/');
        var nameSegments = names.SelectMany(name => name.Split('/')).ToArray();
        if (typeSegments.Length - 1 != nameSegments.Length)
        {
            throw new ArgumentException($"Type {type} needs {typeSegments.Length - 1} name segments, got " +
                $"'{string.Join('/', nameSegments)}'");
        }

        var path = typeSegments.Skip(1).Zip(nameSegments, (segment, name) => $"{segment}/{name}");
        return $"{scopeId}/providers/{typeSegments[0]}/{string.Join('/', path)}";
    }
}
