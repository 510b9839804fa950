using Azure;
using Azure.Data.Tables;
using Ccs.Core.Pipeline;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Storage;

namespace Ccs.Functions.Results;

/// <summary>
/// The results table: a row per case per upload (PartitionKey = case id, RowKey = archive id), written as the case
/// moves through Running and Completed or Failed, and a row per upload (<see cref="ResultColumns.ArchivePartition"/>,
/// archive id) for the archive itself: Queued by the trigger, Running once read, Failed when it was refused or could
/// not be read. A new version of the same blob has the same archive id, so its first writes replace what the earlier
/// version left; later writes merge into them.
/// </summary>
public sealed class ResultsTable(CaseStorageAccount account, StorageNames names, TimeProvider clock)
{
    private readonly TableClient _table = account.Tables.GetTableClient(names.ResultsTable);
    private int _created;

    /// <summary>
    /// Writes the Queued archive row unless this run already owns it: a compare-and-swap on the row's ETag, so of two
    /// deliveries of one upload event exactly one gets true. The row it replaces may list cases this version does not
    /// hold: their rows and files stay until the new run has read its archive (or failed to), when
    /// <see cref="ListEarlierVersionsAsync"/> finds them by archive id, so a run that never got to list its cases
    /// leaves nothing behind either.
    /// </summary>
    public Task<bool> TryClaimQueuedAsync(ArchiveJob job, CancellationToken cancellationToken = default)
    {
        var queued = ArchiveRow(job, CaseStatus.Queued);
        return WriteArchiveRowAsync(job, "queue it", existing =>
            existing?.GetString(ResultColumns.InstanceId) == job.InstanceId ? null
            : existing is null ? _table.AddEntityAsync(queued, cancellationToken)
            : _table.UpdateEntityAsync(queued, existing.ETag, TableUpdateMode.Replace, cancellationToken),
            cancellationToken);
    }

    private const int MaxWriteAttempts = 5;

    public Task WriteRunningAsync(ArchiveJob job, string caseId, CancellationToken cancellationToken = default)
    {
        var row = CaseRow(job, caseId, CaseStatus.Running);
        row[ResultColumns.StartedAt] = clock.GetUtcNow();
        return WriteAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <param name="replace">True when this run has no earlier row for the case (it failed on reading).</param>
    public Task WriteFailedAsync(ArchiveJob job, string caseId, string error, bool replace,
        CancellationToken cancellationToken = default)
    {
        var row = CaseRow(job, caseId, CaseStatus.Failed);
        row[ResultColumns.Error] = error;
        row[ResultColumns.CompletedAt] = clock.GetUtcNow();
        return WriteAsync(row, replace ? TableUpdateMode.Replace : TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>The archive row of a blob refused before any run: no instance, just its source and why.</summary>
    public Task WriteRejectedAsync(string archiveId, string blobName, string? etag, string error,
        CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(ResultColumns.ArchivePartition, archiveId)
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
        var row = CaseRow(job, outcome.CaseId, CaseStatus.Completed);
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

    /// <summary>Lists the cases the archive held on its row, unless a later run has taken the row over.</summary>
    public Task<bool> WriteArchiveReadAsync(ArchiveJob job, IReadOnlyList<string> caseIds,
        CancellationToken cancellationToken = default) =>
        UpdateOwnArchiveRowAsync(job, new TableEntity(ResultColumns.ArchivePartition, job.ArchiveId)
        {
            [ResultColumns.Status] = CaseStatus.Running,
            [ResultColumns.Cases] = string.Join(",", caseIds),
            [ResultColumns.StartedAt] = clock.GetUtcNow(),
        }, cancellationToken);

    /// <summary>Marks the archive Failed with the reason, unless a later run has taken its row over.</summary>
    public Task<bool> WriteArchiveFailedAsync(ArchiveJob job, string error,
        CancellationToken cancellationToken = default) =>
        UpdateOwnArchiveRowAsync(job, new TableEntity(ResultColumns.ArchivePartition, job.ArchiveId)
        {
            [ResultColumns.Status] = CaseStatus.Failed,
            [ResultColumns.Error] = error,
            [ResultColumns.CompletedAt] = clock.GetUtcNow(),
        }, cancellationToken);

    /// <returns>The case's row from one upload, or null.</returns>
    public Task<TableEntity?> FindCaseAsync(string caseId, string archiveId,
        CancellationToken cancellationToken = default) =>
        ResultKeys.IsValid(caseId) && ResultKeys.IsValid(archiveId)
            ? FindAsync(caseId, archiveId, cancellationToken)
            : Task.FromResult<TableEntity?>(null);

    /// <returns>An upload's archive row, or null.</returns>
    public Task<TableEntity?> FindArchiveAsync(string archiveId, CancellationToken cancellationToken = default) =>
        ResultKeys.IsValid(archiveId)
            ? FindAsync(ResultColumns.ArchivePartition, archiveId, cancellationToken)
            : Task.FromResult<TableEntity?>(null);

    /// <returns>The case's rows, one per upload that carried it, in archive id order.</returns>
    public async Task<IReadOnlyList<TableEntity>> ListCaseAsync(string caseId,
        CancellationToken cancellationToken = default)
    {
        if (!ResultKeys.IsValid(caseId))
        {
            return [];
        }

        await EnsureTableAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId}");
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <returns>
    /// The case rows under this archive id that earlier versions of its blob wrote: another SourceETag, queued before
    /// this run. Rows of a newer version, queued after it, are never among them, even if it has already taken the
    /// archive row over. A scan of the table (RowKey alone is not indexed), once per run.
    /// </returns>
    public async Task<IReadOnlyList<TableEntity>> ListEarlierVersionsAsync(ArchiveJob job,
        CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var (archiveId, etag, archives) = (job.ArchiveId, job.ETag, ResultColumns.ArchivePartition);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {archiveId} and PartitionKey ne {archives} and SourceETag ne {etag}");
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset(ResultColumns.QueuedAt) is not { } queued || queued < job.QueuedAt)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>
    /// Deletes a case row as it was read: if it is already gone (a retry) or has been written since (a newer run),
    /// it is left as it is.
    /// </summary>
    public async Task DeleteCaseAsync(TableEntity row, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Nothing to do: see the summary.
        }
    }

    private async Task<TableEntity?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey,
            cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>
    /// Merges columns into the archive row while it still names this run: a new version of the blob claims the row
    /// for its own run, and a run left behind must not write over it.
    /// </summary>
    private Task<bool> UpdateOwnArchiveRowAsync(ArchiveJob job, TableEntity columns,
        CancellationToken cancellationToken) =>
        WriteArchiveRowAsync(job, "update it", row =>
            row?.GetString(ResultColumns.InstanceId) != job.InstanceId ? null
            : _table.UpdateEntityAsync(columns, row.ETag, TableUpdateMode.Merge, cancellationToken),
            cancellationToken);

    /// <summary>
    /// A compare-and-swap on the archive row: reads it, lets <paramref name="write"/> decide (null: leave it) and
    /// write against the ETag it read, and when someone wrote the row in between (404, 409, 412) reads it again and
    /// decides afresh. True when this call wrote the row.
    /// </summary>
    private async Task<bool> WriteArchiveRowAsync(ArchiveJob job, string purpose,
        Func<TableEntity?, Task<Response>?> write, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var row = await FindArchiveAsync(job.ArchiveId, cancellationToken);
            if (write(row) is not { } writing)
            {
                return false;
            }

            try
            {
                await writing;
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Someone wrote the row between the read and the write.
            }
        }

        throw new InvalidOperationException(
            $"the archive row of '{job.ArchiveId}' kept changing while run {job.InstanceId} tried to {purpose}");
    }

    private static TableEntity CaseRow(ArchiveJob job, string caseId, string status) =>
        Sourced(new TableEntity(caseId, job.ArchiveId), job, status);

    private static TableEntity ArchiveRow(ArchiveJob job, string status) =>
        Sourced(new TableEntity(ResultColumns.ArchivePartition, job.ArchiveId), job, status);

    private static TableEntity Sourced(TableEntity row, ArchiveJob job, string status)
    {
        row[ResultColumns.Status] = status;
        row[ResultColumns.SourceBlob] = job.BlobName;
        row[ResultColumns.SourceETag] = job.ETag;
        row[ResultColumns.InstanceId] = job.InstanceId;
        row[ResultColumns.QueuedAt] = job.QueuedAt;
        return row;
    }

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
