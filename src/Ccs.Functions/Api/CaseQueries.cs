using Azure.Data.Tables;
using Ccs.Core.Pipeline;
using Ccs.Functions.Results;

namespace Ccs.Functions.Api;

/// <summary>Reads a case's row and images for the HTTP API.</summary>
public sealed class CaseQueries(ResultsTable table, ResultBlobs blobs)
{
    /// <returns>
    /// The case row as a JSON-ready object; or, for an archive whose cases carry other ids, the archive row listing
    /// them; or null.
    /// </returns>
    public async Task<IReadOnlyDictionary<string, object?>?> FindCaseAsync(string caseId,
        CancellationToken cancellationToken = default)
    {
        var row = await table.FindAsync(caseId, ResultColumns.CaseRowKey, cancellationToken)
            ?? await table.FindAsync(caseId, ResultColumns.ArchiveRowKey, cancellationToken);
        return row is null ? null : ToJson(row);
    }

    /// <param name="backbone">A backbone id or <see cref="ArtifactNames.Ensemble"/>.</param>
    public async Task<byte[]?> FindGradCamAsync(string caseId, string backbone,
        CancellationToken cancellationToken = default)
    {
        if (!ResultKeys.IsValid(caseId) || !ResultKeys.IsValid(backbone))
        {
            return null;
        }

        return await blobs.FindAsync(ResultBlobs.PathOf(caseId, ArtifactNames.GradCam(backbone)), cancellationToken);
    }

    private static Dictionary<string, object?> ToJson(TableEntity row)
    {
        var kind = row.RowKey == ResultColumns.ArchiveRowKey ? "archive" : "case";
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [kind == "archive" ? "archiveId" : "caseId"] = row.PartitionKey,
            ["kind"] = kind,
        };
        foreach (var (key, value) in row.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
            {
                json[key] = value;
            }
        }

        if (kind == "archive")
        {
            json[ResultColumns.Cases] = row.GetString(ResultColumns.Cases)?.Split(',') ?? [];
        }

        return json;
    }
}
