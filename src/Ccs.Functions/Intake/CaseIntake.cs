using Azure;
using Azure.Storage.Blobs;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Results;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Intake;

public enum IntakeResult
{
    Scheduled,
    Duplicate,
    Rejected,
    Gone,
}

/// <summary>
/// What the blob trigger does with a new archive: check the envelope (name and size, from the blob's properties; the
/// content is not downloaded here), then schedule one orchestration per blob version.
/// </summary>
public sealed class CaseIntake(ResultsTable table, IntakeOptions options, TimeProvider time, ILogger<CaseIntake> log)
{
    public async Task<IntakeResult> AcceptAsync(BlobClient blob, DurableTaskClient durable,
        CancellationToken cancellationToken = default)
    {
        var archiveId = ArchiveNames.ArchiveId(blob.Name);
        if (!blob.Name.EndsWith(ArchiveNames.Extension, StringComparison.OrdinalIgnoreCase))
        {
            return await RejectAsync(blob, archiveId, null,
                $"{blob.Name}: a case archive must be a .zip file", cancellationToken);
        }

        long size;
        string etag;
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            size = properties.Value.ContentLength;
            etag = properties.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            log.LogInformation("Archive {ArchiveId} was deleted before it could be queued", archiveId);
            return IntakeResult.Gone;
        }

        if (size > options.MaxArchiveBytes)
        {
            return await RejectAsync(blob, archiveId, etag,
                $"{blob.Name}: archive is {size} bytes; at most {options.MaxArchiveBytes} is accepted",
                cancellationToken);
        }

        var job = new ArchiveJob(blob.BlobContainerName, blob.Name, etag, archiveId,
            ArchiveNames.InstanceId(blob.BlobContainerName, blob.Name, etag), time.GetUtcNow());
        return await ScheduleAsync(job, durable, cancellationToken);
    }

    private async Task<IntakeResult> ScheduleAsync(ArchiveJob job, DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        if (await durable.GetInstanceAsync(job.InstanceId, cancellationToken) is not null)
        {
            log.LogInformation("Archive {ArchiveId} already has run {InstanceId}; repeated event ignored",
                job.ArchiveId, job.InstanceId);
            return IntakeResult.Duplicate;
        }

        if (!await table.TryClaimQueuedAsync(job, cancellationToken))
        {
            // Another delivery of this event claimed the run and is about to schedule it. Should it have died
            // between the claim and the schedule, nobody would run the case, so after a grace period this one does.
            if (await AppearsAsync(durable, job.InstanceId, cancellationToken))
            {
                log.LogInformation("Archive {ArchiveId} was queued by a concurrent delivery as {InstanceId}",
                    job.ArchiveId, job.InstanceId);
                return IntakeResult.Duplicate;
            }

            log.LogWarning("Archive {ArchiveId}: run {InstanceId} was claimed but never scheduled; scheduling it now",
                job.ArchiveId, job.InstanceId);
        }

        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(ActivityNames.Orchestrator, job,
                new StartOrchestrationOptions(job.InstanceId), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Two deliveries of one event can both pass the check above; the loser's schedule call fails here.
            if (await durable.GetInstanceAsync(job.InstanceId, cancellationToken) is null)
            {
                throw;
            }

            log.LogInformation("Archive {ArchiveId} was scheduled by a concurrent delivery as {InstanceId}",
                job.ArchiveId, job.InstanceId);
            return IntakeResult.Duplicate;
        }

        log.LogInformation("Archive {ArchiveId} queued as {InstanceId}", job.ArchiveId, job.InstanceId);
        return IntakeResult.Scheduled;
    }

    private async Task<bool> AppearsAsync(DurableTaskClient durable, string instanceId,
        CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ClaimGrace;
        while (time.GetUtcNow() < deadline)
        {
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is not null)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return false;
    }

    private static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(15);

    private async Task<IntakeResult> RejectAsync(BlobClient blob, string archiveId, string? etag, string error,
        CancellationToken cancellationToken)
    {
        log.LogWarning("Archive {ArchiveId} rejected at upload; the reason is in its archive row", archiveId);
        await table.WriteRejectedAsync(archiveId, blob.Name, etag, error, cancellationToken);
        return IntakeResult.Rejected;
    }
}
