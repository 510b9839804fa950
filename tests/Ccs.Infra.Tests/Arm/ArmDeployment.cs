using System.Text.Json.Nodes;

namespace Ccs.Infra.Tests.Arm;

/// <summary>
/// A dry run of a compiled ARM template: parameters, variables, copy loops, conditions and nested deployments
/// (Bicep modules) are evaluated the way Resource Manager would, so tests can assert on the values that would be
/// deployed instead of on the shape of the expressions that produce them. Runtime-only values stay symbolic
/// (<see cref="RuntimeValue"/>). Nothing is sent anywhere.
/// </summary>
public sealed class ArmDeployment
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    private ArmDeployment(IReadOnlyList<DeployedResource> resources, IReadOnlyDictionary<string, object?> outputs)
    {
        Resources = resources;
        Outputs = outputs;
    }

    /// <summary>Every resource, those of nested deployments included, in template order.</summary>
    public IReadOnlyList<DeployedResource> Resources { get; }

    public IReadOnlyDictionary<string, object?> Outputs { get; }

    public IReadOnlyList<DeployedResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public DeployedResource Single(string type)
    {
        var matches = OfType(type);
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {type}, found {matches.Count}");
    }

    public string Output(string name) => ArmValues.Text(Outputs[name]);

    public static ArmDeployment Simulate(
        JsonObject template, IReadOnlyDictionary<string, object?> parameters, DeploymentTarget target) =>
        Simulate(template, parameters, target, module: "");

    private static ArmDeployment Simulate(
        JsonObject template, IReadOnlyDictionary<string, object?> parameters, DeploymentTarget target, string module)
    {
        var scope = new TemplateScope(template, parameters, target);
        var declared = Expand(template, scope);

        // Registered before any body is evaluated: a sibling's reference() to a module's outputs runs it on demand.
        foreach (var entry in declared.Where(entry => entry.Type == DeploymentType))
        {
            scope.Deployments[entry.Id] = new Lazy<ArmDeployment>(() => SimulateNested(entry, scope));
        }

        var resources = new List<DeployedResource>();
        foreach (var entry in declared)
        {
            scope.CopyIndex = entry.CopyIndex;
            var body = ArmValues.NewObject();
            foreach (var (key, value) in entry.Declaration)
            {
                if (key is not ("copy" or "condition" or "dependsOn") &&
                    !(entry.Type == DeploymentType && key == "properties"))
                {
                    body[key] = ArmExpression.Evaluate(value, scope);
                }
            }

            resources.Add(new DeployedResource(entry.Type, entry.Name, entry.Id, module, body));
            if (entry.Type == DeploymentType)
            {
                resources.AddRange(scope.Deployments[entry.Id].Value.Resources);
            }
        }

        var outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, output) in template["outputs"]?.AsObject() ?? new JsonObject())
        {
            outputs[name] = ArmExpression.Evaluate(output!["value"], scope);
        }

        return new ArmDeployment(resources, outputs);
    }

    private static ArmDeployment SimulateNested(Entry entry, TemplateScope parent)
    {
        var properties = entry.Declaration["properties"]!.AsObject();
        if (properties["expressionEvaluationOptions"]?["scope"]?.GetValue<string>() != "inner")
        {
            throw new NotSupportedException($"Deployment {entry.Name} is not inner-scoped, which Bicep always emits");
        }

        // Forced lazily, possibly while the parent evaluates another resource of a copy loop: restore its index.
        var interruptedIndex = parent.CopyIndex;
        parent.CopyIndex = entry.CopyIndex;
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, parameter) in properties["parameters"]?.AsObject() ?? new JsonObject())
        {
            parameters[name] = ArmExpression.Evaluate(parameter!["value"], parent);
        }

        parent.CopyIndex = interruptedIndex;

        var target = parent.Target.InResourceGroup(entry.ResourceGroup);
        return Simulate(properties["template"]!.AsObject(), parameters, target, entry.Name);
    }

    /// <summary>Resource declarations with copy loops unrolled, false conditions dropped and ids computed.</summary>
    private static List<Entry> Expand(JsonObject template, TemplateScope scope)
    {
        // languageVersion 2.0 keys resources by symbolic name, which reference('name') uses, and lists `existing`
        // ones: those deploy nothing but can be referenced.
        var declarations = template["resources"] switch
        {
            JsonArray array => array.Select(node => (Symbol: (string?)null, Declaration: node!.AsObject())),
            JsonObject symbolic => symbolic.Select(pair => ((string?)pair.Key, pair.Value!.AsObject())),
            _ => [],
        };

        var entries = new List<Entry>();
        foreach (var (symbol, declaration) in declarations)
        {
            if (declaration["existing"]?.GetValue<bool>() == true)
            {
                scope.Symbols[symbol!] = Describe(declaration, 0, scope).Id;
                continue;
            }

            var count = declaration["copy"] is JsonObject copy
                ? (long)ArmExpression.Evaluate(copy["count"], scope)!
                : 1;
            for (var index = 0L; index < count; index++)
            {
                scope.CopyIndex = index;
                if (declaration["condition"] is { } condition && !(bool)ArmExpression.Evaluate(condition, scope)!)
                {
                    continue;
                }

                var entry = Describe(declaration, index, scope);
                entries.Add(entry);
                if (symbol is not null && declaration["copy"] is null)
                {
                    scope.Symbols[symbol] = entry.Id;
                }
            }
        }

        scope.CopyIndex = 0;
        return entries;
    }

    private static Entry Describe(JsonObject declaration, long index, TemplateScope scope)
    {
        var type = declaration["type"]!.GetValue<string>();
        var name = ArmValues.Text(ArmExpression.Evaluate(declaration["name"], scope));
        var resourceGroup = declaration["resourceGroup"] is { } group
            ? ArmValues.Text(ArmExpression.Evaluate(group, scope))
            : null;

        // Extension resources (role assignments) name their parent in `scope`: a resource id, or a relative one.
        var scopeId = declaration["scope"] is { } extensionScope
            ? ArmValues.Text(ArmExpression.Evaluate(extensionScope, scope))
            : resourceGroup is null ? scope.Target.ScopeId : scope.Target.ResourceGroupScope(resourceGroup);
        if (!scopeId.StartsWith('/'))
        {
            scopeId = $"{scope.Target.ScopeId}/providers/{scopeId}";
        }

        return new Entry(declaration, type, name, resourceGroup, ResourceIds.Build(scopeId, type, [name]), index);
    }

    private sealed record Entry(
        JsonObject Declaration, string Type, string Name, string? ResourceGroup, string Id, long CopyIndex);
}
