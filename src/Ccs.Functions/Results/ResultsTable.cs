using Azure;
using Azure.Data.Tables;
using Ccs.Core.Pipeline;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Storage;

namespace Ccs.Functions.Results;

/// <summary>
/// The results table: one row per case, written as the case moves through Queued, Running and Completed or Failed.
/// The first row of a run replaces whatever an earlier upload of the same case id left; later writes merge into it.
/// </summary>
public sealed class ResultsTable(CaseStorageAccount account, StorageNames names, TimeProvider clock)
{
    private readonly TableClient _table = account.Tables.GetTableClient(names.ResultsTable);
    private int _created;

    /// <summary>
    /// Writes the Queued row unless this run already owns the row: a compare-and-swap on the row's ETag, so of two
    /// deliveries of one upload event exactly one gets true.
    /// </summary>
    public async Task<bool> TryClaimQueuedAsync(ArchiveJob job, CancellationToken cancellationToken = default)
    {
        var queued = Row(job, job.ArchiveId, CaseStatus.Queued);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            var existing = await FindAsync(job.ArchiveId, ResultColumns.CaseRowKey, cancellationToken);
            if (existing?.GetString(ResultColumns.InstanceId) == job.InstanceId)
            {
                return false;
            }

            try
            {
                if (existing is null)
                {
                    await _table.AddEntityAsync(queued, cancellationToken);
                }
                else
                {
                    await _table.UpdateEntityAsync(queued, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Someone wrote the row between the read and the write: read it again and decide afresh.
            }
        }

        throw new InvalidOperationException(
            $"the results row of '{job.ArchiveId}' kept changing while run {job.InstanceId} tried to queue it");
    }

    private const int MaxClaimAttempts = 5;

    public Task WriteRunningAsync(ArchiveJob job, string caseId, CancellationToken cancellationToken = default)
    {
        var row = Row(job, caseId, CaseStatus.Running);
        row[ResultColumns.StartedAt] = clock.GetUtcNow();
        return WriteAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <param name="replace">True when this run has no earlier row for the case (it failed on reading).</param>
    public Task WriteFailedAsync(ArchiveJob? job, string caseId, string error, bool replace,
        CancellationToken cancellationToken = default)
    {
        var row = job is null ? new TableEntity(caseId, ResultColumns.CaseRowKey) : Row(job, caseId, CaseStatus.Failed);
        row[ResultColumns.Status] = CaseStatus.Failed;
        row[ResultColumns.Error] = error;
        row[ResultColumns.CompletedAt] = clock.GetUtcNow();
        return WriteAsync(row, replace ? TableUpdateMode.Replace : TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>The row for an archive rejected before any run: no instance, only where it came from and why.</summary>
    public Task WriteRejectedAsync(string caseId, string blobName, string? etag, string error,
        CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(caseId, ResultColumns.CaseRowKey)
        {
            [ResultColumns.Status] = CaseStatus.Failed,
            [ResultColumns.SourceBlob] = blobName,
            [ResultColumns.SourceETag] = etag,
            [ResultColumns.Error] = error,
            [ResultColumns.CompletedAt] = clock.GetUtcNow(),
        };
        return WriteAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public Task WriteCompletedAsync(ArchiveJob job, CaseOutcome outcome, string modelVersion,
        CancellationToken cancellationToken = default)
    {
        var row = Row(job, outcome.CaseId, CaseStatus.Completed);
        foreach (var backbone in outcome.Backbones)
        {
            row[ResultColumns.Probability(backbone.BackboneId)] = backbone.Probability;
        }

        row[ResultColumns.Ensemble] = outcome.Ensemble;
        row[ResultColumns.Adjusted] = outcome.Adjusted?.Probability;
        row[ResultColumns.AdjustedModel] = outcome.Adjusted?.Model;
        row[ResultColumns.Label] = outcome.Positive;
        row[ResultColumns.LabelBasis] = outcome.LabelBasis;
        row[ResultColumns.Threshold] = outcome.Threshold;
        row[ResultColumns.ModelVersion] = modelVersion;
        row[ResultColumns.CompletedAt] = clock.GetUtcNow();
        row[ResultColumns.Error] = null;
        return WriteAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// Points an archive's id at the cases it held when none of them carries that id, and removes the Queued row the
    /// trigger wrote under it, unless a later run has taken that row over.
    /// </summary>
    public async Task WriteArchiveAsync(ArchiveJob job, IReadOnlyList<string> caseIds,
        CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(job.ArchiveId, ResultColumns.ArchiveRowKey)
        {
            [ResultColumns.Cases] = string.Join(",", caseIds),
            [ResultColumns.SourceBlob] = job.BlobName,
            [ResultColumns.SourceETag] = job.ETag,
            [ResultColumns.InstanceId] = job.InstanceId,
            [ResultColumns.QueuedAt] = job.QueuedAt,
        };
        await WriteAsync(row, TableUpdateMode.Replace, cancellationToken);
        var queued = await FindAsync(job.ArchiveId, ResultColumns.CaseRowKey, cancellationToken);
        if (queued is not null && queued.GetString(ResultColumns.InstanceId) == job.InstanceId
            && queued.GetString(ResultColumns.Status) == CaseStatus.Queued)
        {
            try
            {
                await _table.DeleteEntityAsync(queued.PartitionKey, queued.RowKey, queued.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Gone or taken over by a newer run since it was read: either way it is no longer this run's to delete.
            }
        }
    }

    public async Task<TableEntity?> FindAsync(string partitionKey, string rowKey,
        CancellationToken cancellationToken = default)
    {
        if (!ResultKeys.IsValid(partitionKey))
        {
            return null;
        }

        await EnsureTableAsync(cancellationToken);
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey,
            cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private static TableEntity Row(ArchiveJob job, string caseId, string status) =>
        new(caseId, ResultColumns.CaseRowKey)
    {
        [ResultColumns.Status] = status,
        [ResultColumns.SourceBlob] = job.BlobName,
        [ResultColumns.SourceETag] = job.ETag,
        [ResultColumns.ArchiveId] = job.ArchiveId,
        [ResultColumns.InstanceId] = job.InstanceId,
        [ResultColumns.QueuedAt] = job.QueuedAt,
    };

    private async Task WriteAsync(TableEntity row, TableUpdateMode mode, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await _table.UpsertEntityAsync(row, mode, cancellationToken);
    }

    /// <summary>The table is created on first use, so a fresh account or Azurite needs no setup step.</summary>
    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1)
        {
            return;
        }

        try
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created by another worker between the check and the create.
        }

        Volatile.Write(ref _created, 1);
    }
}
