using Ccs.Infra.Tests.Arm;

namespace Ccs.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class EventGridTests(CompiledInfra infra)
{
    [Fact]
    public void Main_template_creates_the_storage_system_topic()
    {
        var topic = infra.Main.Single(ResourceTypes.SystemTopic);

        Assert.Equal(infra.Main.Single(ResourceTypes.StorageAccount).Id, topic["properties.source"]);
        Assert.Equal("Microsoft.Storage.StorageAccounts", topic["properties.topicType"]);
        Assert.Equal(topic.Name, infra.Main.Output("AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"));
    }

    [Fact]
    public void Main_template_leaves_the_subscription_to_the_post_deploy_step()
    {
        Assert.Empty(infra.Main.OfType(ResourceTypes.EventSubscription));
    }

    [Fact]
    public void Post_deploy_subscription_sends_case_uploads_to_the_blob_extension_webhook()
    {
        var topic = infra.Main.Single(ResourceTypes.SystemTopic);
        var subscription = infra.EventGridSubscription.Single(ResourceTypes.EventSubscription);

        Assert.StartsWith(topic.Id + "/", subscription.Id);
        Assert.Equal(
            ["Microsoft.Storage.BlobCreated"],
            (List<object?>)subscription["properties.filter.includedEventTypes"]!);
        Assert.Equal("/blobServices/default/containers/cases/", subscription["properties.filter.subjectBeginsWith"]);
        Assert.Equal("WebHook", subscription["properties.destination.endpointType"]);
    }

    [Fact]
    public void Webhook_url_targets_CaseUploaded_with_the_blobs_extension_key_of_the_deployed_app()
    {
        var site = infra.Main.Single(ResourceTypes.Site);
        var subscription = infra.EventGridSubscription.Single(ResourceTypes.EventSubscription);
        var key = new RuntimeValue($"listKeys({site.Id}/host/default)").Member("systemKeys").Member("blobs_extension");

        Assert.Equal(
            $"https://{RuntimeValue.Reference(site.Id, "defaultHostName")}/runtime/webhooks/blobs" +
            $"?functionName=Host.Functions.CaseUploaded&code={key}",
            subscription["properties.destination.properties.endpointUrl"]);
    }
}
