using Ccs.Infra.Tests.Arm;

namespace Ccs.Infra.Tests;

internal static class ResourceTypes
{
    public const string ResourceGroup = "Microsoft.Resources/resourceGroups";
    public const string Identity = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string StorageAccount = "Microsoft.Storage/storageAccounts";
    public const string BlobService = "Microsoft.Storage/storageAccounts/blobServices";
    public const string Container = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string Table = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string Workspace = "Microsoft.OperationalInsights/workspaces";
    public const string AppInsights = "Microsoft.Insights/components";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string Plan = "Microsoft.Web/serverfarms";
    public const string Site = "Microsoft.Web/sites";
    public const string SiteConfig = "Microsoft.Web/sites/config";
    public const string PublishingCredentials = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    public const string SystemTopic = "Microsoft.EventGrid/systemTopics";
    public const string EventSubscription = "Microsoft.EventGrid/systemTopics/eventSubscriptions";

    /// <summary>The function app's settings as the appsettings config resource would write them.</summary>
    public static IReadOnlyDictionary<string, object?> AppSettings(this ArmDeployment deployment) =>
        (IReadOnlyDictionary<string, object?>)deployment.OfType(SiteConfig).Single(c => c.LeafName == "appsettings")
            ["properties"]!;
}
