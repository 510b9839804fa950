using System.Text.Json;
using Ccs.Functions.Intake;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Tests.Infrastructure;

namespace Ccs.Functions.Tests.Hosting;

/// <summary>
/// The functions.metadata the worker SDK generates at build is what the Functions host indexes, so the trigger
/// bindings and the names the orchestrator calls are checked there rather than in the source.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<JsonElement[]> Functions = new(() =>
    {
        var path = Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build src/Ccs.Functions first");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToArray();
    });

    [Theory]
    [InlineData(CaseUploaded.EventGridName, "EventGrid")]
    [InlineData(CaseUploaded.PollingName, "LogsAndContainerScan")]
    public void Blob_trigger_watches_the_cases_container_on_the_case_storage_connection(string name, string source)
    {
        var trigger = Binding(name, "blobTrigger");

        Assert.Equal("%CasesContainer%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal(AppSettingNames.CaseStorage, trigger.GetProperty("connection").GetString());
        Assert.Equal(source, trigger.GetProperty("source").GetString());
        Binding(name, "durableClient");
    }

    [Fact]
    public void Every_activity_the_orchestrator_calls_is_an_activity_function()
    {
        Binding(ActivityNames.Orchestrator, "orchestrationTrigger");
        foreach (var activity in ActivityNames.Activities)
        {
            Binding(activity, "activityTrigger");
        }
    }

    [Theory]
    [InlineData("GetCase", "cases/{caseId}", "get")]
    [InlineData("GetCaseInArchive", "cases/{caseId}/archives/{archiveId}", "get")]
    [InlineData("GetGradCam", "cases/{caseId}/archives/{archiveId}/gradcam/{backbone}", "get")]
    [InlineData("GetArchive", "archives/{archiveId}", "get")]
    [InlineData("UploadCase", "cases", "post")]
    [InlineData("Health", "health", "get")]
    public void Http_functions_have_their_routes_and_need_a_function_key(string name, string route, string method)
    {
        var trigger = Binding(name, "httpTrigger");

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    private static JsonElement Binding(string function, string type)
    {
        var entry = Functions.Value.SingleOrDefault(f => f.GetProperty("name").GetString() == function);
        Assert.True(entry.ValueKind == JsonValueKind.Object, $"functions.metadata has no function '{function}'");
        var binding = entry.GetProperty("bindings").EnumerateArray()
            .SingleOrDefault(b => b.GetProperty("type").GetString() == type);
        Assert.True(binding.ValueKind == JsonValueKind.Object, $"function '{function}' has no {type} binding");
        return binding;
    }
}
