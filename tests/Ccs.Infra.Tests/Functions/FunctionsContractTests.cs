using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ccs.Infra.Tests.Arm;

namespace Ccs.Infra.Tests.Functions;

/// <summary>
/// The deployed settings checked against what the built app asks for: binding connections and %settings% from
/// functions.metadata, and the app's own list of setting names. Catches a new binding or setting that the
/// infrastructure does not provide yet, before a deployment does.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class FunctionsContractTests(CompiledInfra infra)
{
    // The host's own storage connection: Durable Functions and the blob extension use it even without a binding.
    private const string HostStorage = "AzureWebJobsStorage";

    [FactWhenFunctionsBuilt]
    public void Every_binding_connection_is_configured()
    {
        var settings = infra.Main.AppSettings();
        var connections = BuiltFunctionsApp.Functions()
            .SelectMany(function => function.Bindings.Select(binding => binding["connection"]?.GetValue<string>()))
            .OfType<string>()
            .Append(HostStorage)
            .Distinct();

        var missing = connections.Where(connection => !IsConfigured(connection, settings)).ToList();

        Assert.Empty(missing);
    }

    [FactWhenFunctionsBuilt]
    public void Every_percent_setting_in_a_binding_is_set()
    {
        var settings = infra.Main.AppSettings();
        var referenced = BuiltFunctionsApp.Functions()
            .SelectMany(function => function.Bindings.SelectMany(binding => Strings(binding)
                .SelectMany(text => PercentSetting().Matches(text).Select(match => match.Groups[1].Value))
                .Select(setting => (function.Name, Setting: setting))));

        var missing = referenced.Where(reference => !settings.ContainsKey(reference.Setting)).Distinct().ToList();

        Assert.Empty(missing);
    }

    [FactWhenFunctionsBuilt(NeedsAppSettingNames = true)]
    public void Every_setting_the_app_lists_is_set()
    {
        // The list names connections by their prefix too (CaseStorage), which Azure sets as CaseStorage__accountName.
        var settings = infra.Main.AppSettings();
        var missing = BuiltFunctionsApp.AppSettingNames().Where(name => !IsConfigured(name, settings)).ToList();

        Assert.Empty(missing);
    }

    [FactWhenFunctionsBuilt]
    public void Disable_switches_name_functions_that_exist()
    {
        var functions = BuiltFunctionsApp.Functions().Select(function => function.Name).ToHashSet();
        var switched = infra.Main.AppSettings().Keys
            .Select(key => DisableSwitch().Match(key))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value);

        Assert.All(switched, function => Assert.Contains(function, functions));
    }

    [FactWhenFunctionsBuilt]
    public void Subscribed_function_is_an_Event_Grid_blob_trigger_on_the_cases_container()
    {
        var settings = infra.Main.AppSettings();
        var subscribed = infra.CompiledTemplate("eventgrid-subscription")["parameters"]!["functionName"]!["defaultValue"]!
            .GetValue<string>();
        var caseUploaded = BuiltFunctionsApp.Functions().Single(function => function.Name == subscribed);
        var trigger = caseUploaded.Bindings.Single(binding =>
            string.Equals(binding["type"]?.GetValue<string>(), "blobTrigger", StringComparison.OrdinalIgnoreCase));

        Assert.Equal("EventGrid", trigger["source"]?.GetValue<string>(), ignoreCase: true);
        var path = PercentSetting().Replace(
            trigger["path"]!.GetValue<string>(), match => ArmValues.Text(settings[match.Groups[1].Value]));
        Assert.StartsWith(infra.Main.Output("CASES_CONTAINER") + "/", path);
    }

    // Identity-based connections are a group of settings under the name; a plain setting is a connection string.
    private static bool IsConfigured(string connection, IReadOnlyDictionary<string, object?> settings) =>
        settings.ContainsKey(connection) ||
        new[] { "accountName", "serviceUri", "blobServiceUri", "fullyQualifiedNamespace" }
            .Any(suffix => settings.ContainsKey($"{connection}__{suffix}"));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(pair => Strings(pair.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.TryGetValue(out string? text) => [text],
        _ => [],
    };

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex PercentSetting();

    [GeneratedRegex(@"^AzureWebJobs\.(.+)\.Disabled$")]
    private static partial Regex DisableSwitch();
}
