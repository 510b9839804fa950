namespace Ccs.Infra.Tests.Arm;

/// <summary>A resource as the simulated deployment would create it: name, id and every property evaluated.</summary>
/// <param name="Module">The nested deployment (Bicep module) declaring it; empty for the top-level template.</param>
public sealed record DeployedResource(
    string Type, string Name, string Id, string Module, IReadOnlyDictionary<string, object?> Body)
{
    /// <summary>The last segment of the name: "cases" for "st.../default/cases".</summary>
    public string LeafName => Name.Split('/')[^1];

    /// <summary>A value by dotted path, e.g. "properties.siteConfig.minTlsVersion"; null when absent.</summary>
    public object? this[string path] => path.Split('.').Aggregate<string, object?>(Body, (value, key) =>
        value is IReadOnlyDictionary<string, object?> map && map.TryGetValue(key, out var next) ? next : null);

    public override string ToString() => $"{Type} {Name} (module '{Module}')";
}
