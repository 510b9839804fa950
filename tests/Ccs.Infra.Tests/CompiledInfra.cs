using System.Text.Json.Nodes;
using Ccs.Infra.Tests.Arm;
using Ccs.Infra.Tests.Bicep;

namespace Ccs.Infra.Tests;

/// <summary>
/// Lints and compiles infra/ once for every test (each bicep run takes seconds), then dry-runs the compiled templates
/// with the parameters main.bicepparam produces, as `azd up` followed by the post-deploy hook would.
/// </summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    public const string EnvironmentName = "ccs-test";
    public const string Location = "swedencentral";
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000c5";

    // What azd exports before it compiles main.bicepparam.
    private static readonly Dictionary<string, string> AzdEnvironment = new()
    {
        ["AZURE_ENV_NAME"] = EnvironmentName,
        ["AZURE_LOCATION"] = Location,
    };

    private readonly string outputDirectory = Directory.CreateTempSubdirectory("ccs-infra-").FullName;
    private readonly Lazy<ArmDeployment> main;
    private readonly Lazy<ArmDeployment> eventGridSubscription;

    public CompiledInfra()
    {
        main = new Lazy<ArmDeployment>(SimulateMain);
        eventGridSubscription = new Lazy<ArmDeployment>(SimulateEventGridSubscription);
    }

    public BicepRun Lint { get; private set; } = null!;

    public BicepRun Build { get; private set; } = null!;

    public BicepRun BuildParameters { get; private set; } = null!;

    /// <summary>infra/main.bicep deployed to a subscription with the parameter file's values.</summary>
    public ArmDeployment Main => main.Value;

    /// <summary>infra/eventgrid-subscription.bicep with the values postdeploy.sh takes from Main's outputs.</summary>
    public ArmDeployment EventGridSubscription => eventGridSubscription.Value;

    public JsonObject MainParameters => ParametersFile()["parameters"]!.AsObject();

    public async Task InitializeAsync()
    {
        string[] offline = ["--no-restore"];
        var lint = BicepCli.RunAsync(AzdEnvironment, ["lint", "--pattern", "infra/**/*.bicep*", .. offline]);
        var build = BicepCli.RunAsync(
            AzdEnvironment, ["build", "--pattern", "infra/*.bicep", "--outdir", outputDirectory, .. offline]);
        var parameters = BicepCli.RunAsync(
            AzdEnvironment, ["build-params", "infra/main.bicepparam", "--stdout", .. offline]);
        Lint = await lint;
        Build = await build;
        BuildParameters = await parameters;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(outputDirectory, recursive: true);
        return Task.CompletedTask;
    }

    public JsonObject CompiledTemplate(string name)
    {
        var path = Path.Combine(outputDirectory, $"{name}.json");
        return File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path))!.AsObject()
            : throw new InvalidOperationException($"{name}.json was not built:\n{Build}");
    }

    // build-params prints {"parametersJson": "<the parameters file as a string>", ...}.
    private JsonObject ParametersFile()
    {
        if (BuildParameters.ExitCode != 0)
        {
            throw new InvalidOperationException($"main.bicepparam did not build:\n{BuildParameters}");
        }

        var parametersJson = JsonNode.Parse(BuildParameters.StandardOutput)!["parametersJson"]!.GetValue<string>();
        return JsonNode.Parse(parametersJson)!.AsObject();
    }

    /// <summary>main.bicep with the parameter file's values, some replaced: a what-if for another setup.</summary>
    public ArmDeployment SimulateMain(IReadOnlyDictionary<string, object?> overrides)
    {
        var parameters = MainParameters.ToDictionary(
            pair => pair.Key, pair => ArmValues.FromJson(pair.Value!["value"]), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in overrides)
        {
            parameters[name] = value;
        }

        var subscription = new DeploymentTarget(SubscriptionId, ResourceGroup: null, Location);
        return ArmDeployment.Simulate(CompiledTemplate("main"), parameters, subscription);
    }

    private ArmDeployment SimulateMain() => SimulateMain(new Dictionary<string, object?>());

    private ArmDeployment SimulateEventGridSubscription()
    {
        var parameters = new Dictionary<string, object?>
        {
            ["functionAppName"] = Main.Output("AZURE_FUNCTION_APP_NAME"),
            ["systemTopicName"] = Main.Output("AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"),
            ["casesContainer"] = Main.Output("CASES_CONTAINER"),
        };
        var resourceGroup = new DeploymentTarget(SubscriptionId, Main.Output("AZURE_RESOURCE_GROUP"), Location);
        return ArmDeployment.Simulate(CompiledTemplate("eventgrid-subscription"), parameters, resourceGroup);
    }
}
