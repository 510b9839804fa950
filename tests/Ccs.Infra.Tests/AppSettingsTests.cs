using Ccs.Infra.Tests.Arm;

namespace Ccs.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class AppSettingsTests(CompiledInfra infra)
{
    [Fact]
    public void Every_setting_the_app_reads_is_set()
    {
        var missing = RequiredAppSettings.Names.Except(infra.Main.AppSettings().Keys).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Settings_that_Flex_Consumption_rejects_or_that_carry_keys_are_absent()
    {
        var settings = infra.Main.AppSettings();

        Assert.Empty(RequiredAppSettings.Forbidden.Intersect(settings.Keys, StringComparer.OrdinalIgnoreCase));
        Assert.All(settings.Values.Select(ArmValues.Text), value =>
        {
            Assert.DoesNotContain("AccountKey=", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature=", value, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("CaseStorage")]
    public void Storage_connections_use_the_user_assigned_identity(string connection)
    {
        var settings = infra.Main.AppSettings();
        var identity = infra.Main.Single(ResourceTypes.Identity);

        Assert.Equal(infra.Main.Output("AZURE_STORAGE_ACCOUNT_NAME"), settings[$"{connection}__accountName"]);
        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.Equal(RuntimeValue.Reference(identity.Id, "clientId"), settings[$"{connection}__clientId"]);
    }

    [Fact]
    public void Container_table_and_inference_settings_name_what_the_template_creates()
    {
        var settings = infra.Main.AppSettings();
        var containers = infra.Main.OfType(ResourceTypes.Container).Select(c => c.LeafName).ToList();

        Assert.Equal("cases", settings["CasesContainer"]);
        Assert.Equal("results", settings["ResultsContainer"]);
        Assert.Contains(settings["CasesContainer"], containers);
        Assert.Contains(settings["ResultsContainer"], containers);
        Assert.Equal(infra.Main.Single(ResourceTypes.Table).LeafName, settings["ResultsTable"]);
        Assert.Equal("", settings["ModelsContainer"]);
        Assert.Equal("1", settings["Inference__IntraOpThreads"]);
    }

    [Fact]
    public void Only_the_Event_Grid_variant_of_the_blob_trigger_runs()
    {
        var settings = infra.Main.AppSettings();

        Assert.Equal("true", settings["AzureWebJobs.CaseUploadedPolling.Disabled"]);
        Assert.Equal("false", settings["AzureWebJobs.CaseUploaded.Disabled"]);
    }

    [Fact]
    public void Telemetry_authenticates_as_the_user_assigned_identity()
    {
        var settings = infra.Main.AppSettings();
        var identity = infra.Main.Single(ResourceTypes.Identity);
        var appInsights = infra.Main.Single(ResourceTypes.AppInsights);

        Assert.Equal(
            RuntimeValue.Reference(appInsights.Id, "ConnectionString"),
            settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Equal(
            $"ClientId={RuntimeValue.Reference(identity.Id, "clientId")};Authorization=AAD",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }
}
