namespace Ccs.Functions.Results;

/// <summary>
/// Columns of the results table. A case row has PartitionKey = case id and RowKey = <see cref="CaseRowKey"/>; an
/// archive whose cases carry other ids also gets a row under its own id with RowKey = <see cref="ArchiveRowKey"/>
/// that lists them, so whoever uploaded it can find them.
/// </summary>
public static class ResultColumns
{
    public const string CaseRowKey = "result";
    public const string ArchiveRowKey = "archive";

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
    public const string ArchiveId = "ArchiveId";
    public const string InstanceId = "InstanceId";
    public const string QueuedAt = "QueuedAt";
    public const string StartedAt = "StartedAt";
    public const string CompletedAt = "CompletedAt";
    public const string Error = "Error";
    public const string Cases = "Cases";

    /// <summary>The column of one backbone's probability, e.g. <c>P_resnet50</c>.</summary>
    public static string Probability(string backboneId) => $"P_{backboneId}";
}
