using Azure.Storage.Blobs;
using Ccs.Functions.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Ccs.Functions.Intake;

/// <summary>
/// The blob trigger, twice: Flex Consumption delivers blob events only through Event Grid, while Azurite has no Event
/// Grid and needs the polling scan. Each deployment switches the other off with
/// <c>AzureWebJobs.&lt;name&gt;.Disabled</c>.
/// </summary>
public sealed class CaseUploaded(CaseIntake intake)
{
    public const string EventGridName = "CaseUploaded";
    public const string PollingName = "CaseUploadedPolling";
    public const string BlobPath = "%" + AppSettingNames.CasesContainer + "%/{name}";

    [Function(EventGridName)]
    public Task OnEventGrid(
        [BlobTrigger(BlobPath, Source = BlobTriggerSource.EventGrid, Connection = AppSettingNames.CaseStorage)]
        BlobClient blob,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        intake.AcceptAsync(blob, durable, cancellationToken);

    [Function(PollingName)]
    public Task OnPolling(
        [BlobTrigger(BlobPath, Source = BlobTriggerSource.LogsAndContainerScan,
            Connection = AppSettingNames.CaseStorage)]
        BlobClient blob,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        intake.AcceptAsync(blob, durable, cancellationToken);
}
