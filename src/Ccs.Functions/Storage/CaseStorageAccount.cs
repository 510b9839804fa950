using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Ccs.Functions.Storage;

/// <summary>
/// The clients for the <c>CaseStorage</c> connection, read the way the Functions host reads a named connection: either
/// a connection string as the section's value (Azurite, <c>UseDevelopmentStorage=true</c>), or an identity-based
/// section with <c>accountName</c> (or <c>blobServiceUri</c> and <c>tableServiceUri</c>), <c>credential</c> and
/// <c>clientId</c>. Clients are thread-safe and are created once.
/// </summary>
public sealed class CaseStorageAccount
{
    public CaseStorageAccount(BlobServiceClient blobs, TableServiceClient tables)
    {
        Blobs = blobs;
        Tables = tables;
    }

    public BlobServiceClient Blobs { get; }

    public TableServiceClient Tables { get; }

    public static CaseStorageAccount FromConfiguration(IConfiguration configuration, string connectionName)
    {
        var section = configuration.GetSection(connectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return FromConnectionString(section.Value);
        }

        var accountName = section["accountName"];
        var blobUri = section["blobServiceUri"]
            ?? (accountName is null ? null : $"https://{accountName}.blob.core.windows.net");
        var tableUri = section["tableServiceUri"]
            ?? (accountName is null ? null : $"https://{accountName}.table.core.windows.net");
        if (blobUri is null || tableUri is null)
        {
            throw new InvalidOperationException(
                $"app setting '{connectionName}' is missing: set it to a storage connection string, or set "
                + $"'{connectionName}__accountName' (with '{connectionName}__credential' = managedidentity and "
                + $"'{connectionName}__clientId' for a user-assigned identity)");
        }

        var credential = Credential(section["credential"], section["clientId"]);
        return new CaseStorageAccount(
            new BlobServiceClient(new Uri(blobUri), credential),
            new TableServiceClient(new Uri(tableUri), credential));
    }

    public static CaseStorageAccount FromConnectionString(string connectionString) =>
        new(new BlobServiceClient(connectionString), new TableServiceClient(connectionString));

    private static TokenCredential Credential(string? kind, string? clientId)
    {
        if (string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        // Without a credential kind the developer's own sign-in (Azure CLI, Visual Studio) is used, as the host does.
        return new DefaultAzureCredential();
    }
}
