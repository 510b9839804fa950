using Azure.Data.Tables;
using Ccs.Core.Pipeline;
using Ccs.Functions.Results;

namespace Ccs.Functions.Api;

/// <summary>A case's rows from every upload that carried it, newest upload first.</summary>
public sealed record CaseResults(string CaseId, IReadOnlyList<IReadOnlyDictionary<string, object?>> Results);

/// <summary>Reads results rows and images for the HTTP API; rows come back as JSON-ready objects.</summary>
public sealed class CaseQueries(ResultsTable table, ResultBlobs blobs)
{
    public const string ResultsProperty = "results";

    /// <summary>Point reads of an archive's case rows in flight at once: a batch may hold up to 1000 cases.</summary>
    private const int ParallelReads = 16;

    /// <returns>The case's row from each upload that carried it, or null when none did.</returns>
    public async Task<CaseResults?> FindCaseAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var rows = await table.ListCaseAsync(caseId, cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var newestFirst = rows
            .OrderByDescending(r => r.GetDateTimeOffset(ResultColumns.QueuedAt))
            .ThenBy(r => r.RowKey, StringComparer.Ordinal);
        return new CaseResults(caseId, [.. newestFirst.Select(ToJson)]);
    }

    /// <returns>The case's row from one upload, or null.</returns>
    public async Task<IReadOnlyDictionary<string, object?>?> FindCaseInArchiveAsync(string caseId, string archiveId,
        CancellationToken cancellationToken = default)
    {
        var row = await table.FindCaseAsync(caseId, archiveId, cancellationToken);
        return row is null ? null : ToJson(row);
    }

    /// <returns>
    /// The upload's archive row, with the rows of the cases it lists under <see cref="ResultsProperty"/> in the
    /// archive's order, so an uploader who knows only the archive id sees every case's status; or null.
    /// </returns>
    public async Task<IReadOnlyDictionary<string, object?>?> FindArchiveAsync(string archiveId,
        CancellationToken cancellationToken = default)
    {
        var row = await table.FindArchiveAsync(archiveId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var caseIds = CaseIds(row);
        var caseRows = new TableEntity?[caseIds.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, caseIds.Length),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) => caseRows[i] = await table.FindCaseAsync(caseIds[i], archiveId, token));

        var json = ToJson(row);
        json[ResultsProperty] = caseRows.OfType<TableEntity>().Select(ToJson).ToList();
        return json;
    }

    /// <param name="backbone">A backbone id or <see cref="ArtifactNames.Ensemble"/>.</param>
    public async Task<byte[]?> FindGradCamAsync(string caseId, string archiveId, string backbone,
        CancellationToken cancellationToken = default)
    {
        if (!ResultKeys.IsValid(caseId) || !ResultKeys.IsValid(archiveId) || !ResultKeys.IsValid(backbone))
        {
            return null;
        }

        var path = ResultBlobs.PathOf(caseId, archiveId, ArtifactNames.GradCam(backbone));
        return await blobs.FindAsync(path, cancellationToken);
    }

    private static string[] CaseIds(TableEntity archiveRow) =>
        archiveRow.GetString(ResultColumns.Cases)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The row's columns, led by its ids: the keys say which case and upload a row belongs to.</summary>
    private static Dictionary<string, object?> ToJson(TableEntity row)
    {
        var isArchive = row.PartitionKey == ResultColumns.ArchivePartition;
        var json = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!isArchive)
        {
            json["caseId"] = row.PartitionKey;
        }

        json["archiveId"] = row.RowKey;
        json["kind"] = isArchive ? "archive" : "case";
        foreach (var (key, value) in row.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
            {
                json[key] = value;
            }
        }

        if (isArchive)
        {
            json[ResultColumns.Cases] = CaseIds(row);
        }

        return json;
    }
}
