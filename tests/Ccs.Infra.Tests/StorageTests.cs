namespace Ccs.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class StorageTests(CompiledInfra infra)
{
    [Fact]
    public void Storage_account_accepts_only_Entra_ID_over_TLS_1_2()
    {
        var account = infra.Main.Single(ResourceTypes.StorageAccount);

        Assert.Equal("StorageV2", account["kind"]);
        Assert.Equal("TLS1_2", account["properties.minimumTlsVersion"]);
        Assert.Equal(true, account["properties.supportsHttpsTrafficOnly"]);
        Assert.Equal(false, account["properties.allowSharedKeyAccess"]);
        Assert.Equal(false, account["properties.allowBlobPublicAccess"]);
    }

    [Fact]
    public void Deleted_blobs_and_containers_can_be_restored()
    {
        var blobService = infra.Main.Single(ResourceTypes.BlobService);

        Assert.Equal(true, blobService["properties.deleteRetentionPolicy.enabled"]);
        Assert.True((long)blobService["properties.deleteRetentionPolicy.days"]! >= 1);
        Assert.Equal(true, blobService["properties.containerDeleteRetentionPolicy.enabled"]);
        Assert.True((long)blobService["properties.containerDeleteRetentionPolicy.days"]! >= 1);
    }

    [Fact]
    public void Account_holds_the_case_result_model_and_package_containers_all_private()
    {
        var account = infra.Main.Single(ResourceTypes.StorageAccount);
        var containers = infra.Main.OfType(ResourceTypes.Container);
        var functionApp = infra.Main.Output("AZURE_FUNCTION_APP_NAME");

        Assert.Equal(
            ["app-package-" + functionApp, "cases", "models", "results"],
            containers.Select(c => c.LeafName).Order(StringComparer.Ordinal));
        Assert.All(containers, c => Assert.StartsWith(account.Name + "/", c.Name));
        Assert.All(containers, c => Assert.Equal("None", c["properties.publicAccess"]));
    }

    [Fact]
    public void Account_holds_the_results_table()
    {
        var account = infra.Main.Single(ResourceTypes.StorageAccount);
        var table = infra.Main.Single(ResourceTypes.Table);

        Assert.Equal($"{account.Name}/default/CcsResults", table.Name);
        Assert.Equal("CcsResults", infra.Main.Output("RESULTS_TABLE"));
    }
}
