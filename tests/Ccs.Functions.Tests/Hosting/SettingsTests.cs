using System.Text.Json;
using Ccs.Functions.Intake;
using Ccs.Functions.Tests.Infrastructure;

namespace Ccs.Functions.Tests.Hosting;

public sealed class SettingsTests
{
    private static JsonElement Read(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file))).RootElement;

    [Fact]
    public void Local_settings_sample_uses_only_known_names_and_runs_the_polling_trigger()
    {
        var values = Read("local.settings.sample.json").GetProperty("Values");
        var names = values.EnumerateObject().Select(p => p.Name).Where(n => n != "FUNCTIONS_WORKER_RUNTIME");

        Assert.All(names, n => Assert.Contains(n, AppSettingNames.All));
        Assert.Equal("true", values.GetProperty(AppSettingNames.CaseUploadedDisabled).GetString());
        Assert.Equal("false", values.GetProperty(AppSettingNames.CaseUploadedPollingDisabled).GetString());
    }

    [Fact]
    public void Trigger_switches_name_the_trigger_functions()
    {
        Assert.Equal($"AzureWebJobs.{CaseUploaded.EventGridName}.Disabled", AppSettingNames.CaseUploadedDisabled);
        Assert.Equal($"AzureWebJobs.{CaseUploaded.PollingName}.Disabled", AppSettingNames.CaseUploadedPollingDisabled);
        Assert.Equal(AppSettingNames.All.Count, AppSettingNames.All.Distinct().Count());
    }

    [Fact]
    public void Host_json_sizes_durable_concurrency_for_inference()
    {
        var host = Read("host.json");
        var durable = host.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(durable.GetProperty("hubName").GetString()));
        Assert.InRange(durable.GetProperty("maxConcurrentActivityFunctions").GetInt32(), 1, 4);
        Assert.True(host.TryGetProperty("functionTimeout", out _));
    }

    [Fact]
    public void Host_json_is_copied_beside_the_app()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.FunctionsOutput, "host.json")));
    }
}
