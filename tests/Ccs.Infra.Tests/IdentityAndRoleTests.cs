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

    [Fact]
    public void Identity_holds_exactly_the_data_roles_it_needs_on_the_account_and_the_component()
    {
        var storage = infra.Main.Single(ResourceTypes.StorageAccount).Id;
        var appInsights = infra.Main.Single(ResourceTypes.AppInsights).Id;
        var roleDefinitions = $"/subscriptions/{CompiledInfra.SubscriptionId}/providers/" +
            "Microsoft.Authorization/roleDefinitions/";

        var granted = infra.Main.OfType(ResourceTypes.RoleAssignment)
            .Select(a => (Role: (string)a["properties.roleDefinitionId"]!, Scope: ScopeOf(a)))
            .Order();

        Assert.Equal(
            new[]
            {
                (roleDefinitions + StorageBlobDataOwner, storage),
                (roleDefinitions + StorageQueueDataContributor, storage),
                (roleDefinitions + StorageTableDataContributor, storage),
                (roleDefinitions + MonitoringMetricsPublisher, appInsights),
            }.Order(),
            granted);
    }

    [Fact]
    public void Every_assignment_is_for_the_one_user_assigned_identity_as_a_service_principal()
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
    public void Assignment_names_are_guids_derived_from_scope_identity_and_role()
    {
        var compiledRbac = infra.CompiledTemplate("main").ToJsonString();
        var names = infra.Main.OfType(ResourceTypes.RoleAssignment).Select(a => a.Name).ToList();

        Assert.All(names, name => Assert.True(Guid.TryParse(name, out _), $"{name} is not a GUID"));
        Assert.Equal(names.Count, names.Distinct().Count());
        // Deterministic: guid() of inputs, never newGuid(), so a re-deployment updates instead of duplicating.
        Assert.DoesNotContain("newGuid(", compiledRbac, StringComparison.OrdinalIgnoreCase);
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

    private static string ScopeOf(DeployedResource assignment) =>
        assignment.Id[..assignment.Id.IndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)];
}
