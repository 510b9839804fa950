using System.Text.Json.Nodes;

namespace Ccs.Infra.Tests.Arm;

/// <summary>What expressions in one template see: its parameters, variables, target and sibling deployments.</summary>
internal sealed class TemplateScope(
    JsonObject template, IReadOnlyDictionary<string, object?> parameters, DeploymentTarget target)
{
    private readonly Dictionary<string, object?> parameterValues = ArmValues.NewObject();
    private readonly Dictionary<string, object?> variableValues = ArmValues.NewObject();

    public DeploymentTarget Target { get; } = target;

    /// <summary>The iteration of the resource copy loop being evaluated; 0 outside loops.</summary>
    public long CopyIndex { get; set; }

    /// <summary>Nested deployments of this template by resource id; reference() to one yields its outputs.</summary>
    public Dictionary<string, Lazy<ArmDeployment>> Deployments { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resource ids by symbolic name, for languageVersion 2.0 templates' reference('name').</summary>
    public Dictionary<string, string> Symbols { get; } = new(StringComparer.Ordinal);

    public object? Parameter(string name)
    {
        if (parameterValues.TryGetValue(name, out var known))
        {
            return known;
        }

        var declaration = template["parameters"]?[name]?.AsObject()
            ?? throw new KeyNotFoundException($"Template has no parameter '{name}'");
        var value = parameters.TryGetValue(name, out var supplied)
            ? supplied
            : declaration.ContainsKey("defaultValue")
                ? ArmExpression.Evaluate(declaration["defaultValue"], this)
                : throw new InvalidOperationException($"Parameter '{name}' has no value and no default");

        if (declaration["allowedValues"] is JsonArray allowed &&
            !allowed.Any(option => ArmValues.AreEqual(ArmExpression.Evaluate(option, this), value)))
        {
            throw new InvalidOperationException($"Parameter '{name}' = {ArmValues.Text(value)} is not allowed");
        }

        return parameterValues[name] = value;
    }

    public object? Variable(string name)
    {
        if (!variableValues.TryGetValue(name, out var value))
        {
            var declaration = template["variables"]?[name] ?? throw new KeyNotFoundException($"No variable '{name}'");
            value = variableValues[name] = ArmExpression.Evaluate(declaration, this);
        }

        return value;
    }

    public object Reference(string resource)
    {
        var resourceId = Symbols.GetValueOrDefault(resource, resource);
        if (!Deployments.TryGetValue(resourceId, out var deployment))
        {
            return new RuntimeValue($"reference({resourceId})");
        }

        var outputs = ArmValues.NewObject();
        foreach (var (name, value) in deployment.Value.Outputs)
        {
            var output = ArmValues.NewObject();
            output["value"] = value;
            outputs[name] = output;
        }

        var result = ArmValues.NewObject();
        result["outputs"] = outputs;
        return result;
    }
}
