using Ccs.Infra.Tests.Arm;

namespace Ccs.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class FunctionAppTests(CompiledInfra infra)
{
    [Fact]
    public void Plan_is_Flex_Consumption_on_Linux()
    {
        var plan = infra.Main.Single(ResourceTypes.Plan);

        Assert.Equal("FC1", plan["sku.name"]);
        Assert.Equal("FlexConsumption", plan["sku.tier"]);
        Assert.Equal(true, plan["properties.reserved"]);
    }

    [Fact]
    public void App_runs_dotnet_isolated_10_on_that_plan()
    {
        var plan = infra.Main.Single(ResourceTypes.Plan);
        var site = infra.Main.Single(ResourceTypes.Site);

        Assert.Equal("functionapp,linux", site["kind"]);
        Assert.Equal(plan.Id, site["properties.serverFarmId"]);
        Assert.Equal("dotnet-isolated", site["properties.functionAppConfig.runtime.name"]);
        Assert.Equal("10.0", site["properties.functionAppConfig.runtime.version"]);
    }

    [Fact]
    public void Scale_settings_come_from_the_parameters()
    {
        var site = infra.Main.Single(ResourceTypes.Site);

        const string scale = "properties.functionAppConfig.scaleAndConcurrency";

        Assert.Equal(2048L, Parameter("instanceMemoryMB"));
        Assert.Equal(Parameter("instanceMemoryMB"), site[$"{scale}.instanceMemoryMB"]);
        Assert.Equal(Parameter("maximumInstanceCount"), site[$"{scale}.maximumInstanceCount"]);
    }

    [Fact]
    public void Code_package_is_read_from_its_container_as_the_user_assigned_identity()
    {
        var identity = infra.Main.Single(ResourceTypes.Identity);
        var account = infra.Main.Single(ResourceTypes.StorageAccount);
        var site = infra.Main.Single(ResourceTypes.Site);
        var container = infra.Main.OfType(ResourceTypes.Container).Single(c => c.LeafName.StartsWith("app-package-"));

        const string storage = "properties.functionAppConfig.deployment.storage";

        Assert.Equal("blobContainer", site[$"{storage}.type"]);
        Assert.Equal(
            $"{RuntimeValue.Reference(account.Id, "primaryEndpoints.blob")}{container.LeafName}",
            site[$"{storage}.value"]);
        Assert.Equal("UserAssignedIdentity", site[$"{storage}.authentication.type"]);
        Assert.Equal(identity.Id, site[$"{storage}.authentication.userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void App_takes_only_HTTPS_with_TLS_1_2_and_no_password_based_publishing()
    {
        var site = infra.Main.Single(ResourceTypes.Site);
        var publishing = infra.Main.OfType(ResourceTypes.PublishingCredentials);

        Assert.Equal(true, site["properties.httpsOnly"]);
        Assert.Equal("1.2", site["properties.siteConfig.minTlsVersion"]);
        Assert.Equal("Disabled", site["properties.siteConfig.ftpsState"]);
        Assert.Equal(["ftp", "scm"], publishing.Select(p => p.LeafName).Order(StringComparer.Ordinal));
        Assert.All(publishing, p => Assert.Equal(false, p["properties.allow"]));
    }

    [Fact]
    public void Azd_finds_the_app_and_the_environment_by_their_tags()
    {
        var site = infra.Main.Single(ResourceTypes.Site);
        var resourceGroup = infra.Main.Single(ResourceTypes.ResourceGroup);
        var azureYaml = File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "azure.yaml"));

        Assert.Equal("api", site["tags.azd-service-name"]);
        Assert.Contains("\n  api:\n    project: ./src/Ccs.Functions\n", azureYaml.ReplaceLineEndings("\n"));
        Assert.Equal(CompiledInfra.EnvironmentName, resourceGroup["tags.azd-env-name"]);
        Assert.Equal($"rg-{CompiledInfra.EnvironmentName}", infra.Main.Output("AZURE_RESOURCE_GROUP"));
    }

    [Fact]
    public void Telemetry_goes_to_a_workspace_based_component_without_local_auth()
    {
        var workspace = infra.Main.Single(ResourceTypes.Workspace);
        var appInsights = infra.Main.Single(ResourceTypes.AppInsights);

        Assert.Equal(workspace.Id, appInsights["properties.WorkspaceResourceId"]);
        Assert.Equal(true, appInsights["properties.DisableLocalAuth"]);
    }

    private object? Parameter(string name) => ArmValues.FromJson(infra.MainParameters[name]!["value"]);
}
