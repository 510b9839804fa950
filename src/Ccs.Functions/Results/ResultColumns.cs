namespace Ccs.Functions.Results;

/// <summary>
/// Columns of the results table. A case row has PartitionKey = case id and RowKey = archive id: one row per upload
/// of the case. Every upload also has an archive row, PartitionKey = <see cref="ArchivePartition"/> and RowKey =
/// archive id, which holds the trigger's claim on the run, lists the cases the archive held, or says why it was
/// refused. No case id can contain '~', so an archive row never lands among a case's rows.
/// </summary>
public static class ResultColumns
{
    public const string ArchivePartition = "~archive";

    public const string Status = "Status";
    public const string Ensemble = "Ensemble";
    public const string Adjusted = "Adjusted";
    public const string AdjustedModel = "AdjustedModel";
    public const string Label = "Label";
    public const string LabelBasis = "LabelBasis";
    public const string Threshold = "Threshold";
    public const string ModelVersion = "ModelVersion";
    public const string SourceBlob = "SourceBlob";
    public const string SourceETag = "SourceETag";
    public const string InstanceId = "InstanceId";
    public const string QueuedAt = "QueuedAt";
    public const string StartedAt = "StartedAt";
    public const string CompletedAt = "CompletedAt";
    public const string Error = "Error";
    public const string Cases = "Cases";

    /// <summary>The column of one backbone's probability, e.g. <c>P_resnet50</c>.</summary>
    public static string Probability(string backboneId) => $"P_{backboneId}";
}
