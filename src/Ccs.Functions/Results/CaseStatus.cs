namespace Ccs.Functions.Results;

/// <summary>The <c>Status</c> column of a results row.</summary>
public static class CaseStatus
{
    public const string Queued = "Queued";
    public const string Running = "Running";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}
