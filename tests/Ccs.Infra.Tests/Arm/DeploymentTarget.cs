namespace Ccs.Infra.Tests.Arm;

/// <summary>Where a simulated deployment lands: a subscription, and for resource-group deployments the group.</summary>
public sealed record DeploymentTarget(string SubscriptionId, string? ResourceGroup, string Location)
{
    public const string TenantId = "00000000-0000-0000-0000-00000000feed";

    public string SubscriptionScope => $"/subscriptions/{SubscriptionId}";

    public string ScopeId => ResourceGroup is null ? SubscriptionScope : ResourceGroupScope(ResourceGroup);

    public string ResourceGroupScope(string resourceGroup) => $"{SubscriptionScope}/resourceGroups/{resourceGroup}";

    public DeploymentTarget InResourceGroup(string? resourceGroup) =>
        resourceGroup is null ? this : this with { ResourceGroup = resourceGroup };
}
