using Ccs.Infra.Tests.Arm;

namespace Ccs.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class IdentityAndRoleTests(CompiledInfra infra)
{
    // Built-in role definition ids, restated here on purpose (checked against the Azure built-in roles reference):
    // a typo in rbac.bicep must not be able to agree with itself.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageTableDataReader = "76199698-9eea-4c19-bc75-cec21354c6b6";

    private const string RoleDefinitions =
        $"/subscriptions/{CompiledInfra.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/";
    private const string Operator = "11111111-2222-3333-4444-555555555555";

    [Fact]
    public void Identity_holds_exactly_the_data_roles_it_needs_on_the_account_and_the_component()
    {
        var storage = infra.Main.Single(ResourceTypes.StorageAccount).Id;
        var appInsights = infra.Main.Single(ResourceTypes.AppInsights).Id;
        var identity = RuntimeValue.Reference(infra.Main.Single(ResourceTypes.Identity).Id, "principalId");

        Assert.Equal(
            new[]
            {
                (RoleDefinitions + StorageBlobDataOwner, storage),
                (RoleDefinitions + StorageQueueDataContributor, storage),
                (RoleDefinitions + StorageTableDataContributor, storage),
                (RoleDefinitions + MonitoringMetricsPublisher, appInsights),
            }.Order(),
            Granted(infra.Main, identity));
    }

    [Fact]
    public void Operator_may_upload_cases_and_read_results_and_nothing_more()
    {
        var deployment = infra.SimulateMain(new Dictionary<string, object?> { ["operatorPrincipalId"] = Operator });
        var storage = deployment.Single(ResourceTypes.StorageAccount).Id;

        Assert.Equal(
            new[]
            {
                (RoleDefinitions + StorageBlobDataContributor, storage),
                (RoleDefinitions + StorageTableDataReader, storage),
            }.Order(),
            Granted(deployment, Operator));
    }

    [Fact]
    public void Without_an_operator_only_the_identity_holds_roles()
    {
        var identity = infra.Main.Single(ResourceTypes.Identity);
        var assignments = infra.Main.OfType(ResourceTypes.RoleAssignment);

        Assert.All(assignments, a =>
        {
            Assert.Equal(RuntimeValue.Reference(identity.Id, "principalId"), a["properties.principalId"]);
            Assert.Equal("ServicePrincipal", a["properties.principalType"]);
        });
    }

    [Fact]
    public void Assignment_names_are_deterministic_guids()
    {
        var compiledMain = infra.CompiledTemplate("main").ToJsonString();
        var names = infra.Main.OfType(ResourceTypes.RoleAssignment).Select(a => a.Name).ToList();

        Assert.All(names, name => Assert.True(Guid.TryParse(name, out _), $"{name} is not a GUID"));
        Assert.Equal(names.Count, names.Distinct().Count());
        // Deterministic: guid() of inputs, never newGuid(), so a re-deployment updates instead of duplicating.
        Assert.DoesNotContain("newGuid(", compiledMain, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Function_app_runs_as_the_user_assigned_identity_only()
    {
        var identity = infra.Main.Single(ResourceTypes.Identity);
        var site = infra.Main.Single(ResourceTypes.Site);
        var assigned = (IReadOnlyDictionary<string, object?>)site["identity.userAssignedIdentities"]!;

        Assert.Equal("UserAssigned", site["identity.type"]);
        Assert.Equal([identity.Id], assigned.Keys);
    }

    private static IEnumerable<(string Role, string Scope)> Granted(ArmDeployment deployment, object principal) =>
        deployment.OfType(ResourceTypes.RoleAssignment)
            .Where(a => Equals(a["properties.principalId"], principal))
            .Select(a => ((string)a["properties.roleDefinitionId"]!, ScopeOf(a)))
            .Order();

    private static string ScopeOf(DeployedResource assignment) =>
        assignment.Id[..assignment.Id.IndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)];
}
