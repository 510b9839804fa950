using System.Text.RegularExpressions;
using Ccs.Infra.Tests.Bicep;

namespace Ccs.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed partial class BicepBuildTests(CompiledInfra infra)
{
    [Fact]
    public void Linter_finds_nothing_in_any_template_or_parameter_file() => AssertClean(infra.Lint);

    [Fact]
    public void Main_and_post_deploy_templates_compile_without_diagnostics()
    {
        AssertClean(infra.Build);
        Assert.Equal("subscription", Scope(infra.CompiledTemplate("main")));
        Assert.Equal("resourceGroup", Scope(infra.CompiledTemplate("eventgrid-subscription")));
    }

    [Fact]
    public void Parameter_file_compiles_from_the_values_azd_exports()
    {
        AssertClean(infra.BuildParameters);

        var parameters = infra.MainParameters;

        Assert.Equal(CompiledInfra.EnvironmentName, parameters["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal(CompiledInfra.Location, parameters["location"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Templates_reference_only_local_modules()
    {
        // Registry modules (br:, ts:) would need network access to compile and would change under us.
        var infraDirectory = Path.Combine(BuildInfo.RepositoryRoot, "infra");
        var remote = Directory.EnumerateFiles(infraDirectory, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Where(line => RemoteModule().IsMatch(line))
                .Select(line => $"{Path.GetRelativePath(infraDirectory, file)}: {line.Trim()}"))
            .ToList();
        Assert.Empty(remote);
    }

    private static void AssertClean(BicepRun run) =>
        Assert.True(run.ExitCode == 0 && run.Diagnostics.Count == 0, $"Expected no diagnostics from {run}");

    // Resource Manager tells deployment scopes apart by the template schema.
    private static string Scope(System.Text.Json.Nodes.JsonObject template) =>
        template["$schema"]!.GetValue<string>() switch
        {
            var schema when schema.Contains("subscriptionDeploymentTemplate") => "subscription",
            var schema when schema.Contains("/deploymentTemplate.json") => "resourceGroup",
            var schema => schema,
        };

    [GeneratedRegex(@"^\s*module\s+\w+\s+'(br|ts)[:/]")]
    private static partial Regex RemoteModule();
}
