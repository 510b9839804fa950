namespace Ccs.Functions.Pipeline;

/// <summary>The pipeline's function names, shared by the orchestrator's calls and the [Function] attributes.</summary>
public static class ActivityNames
{
    public const string Orchestrator = "CaseOrchestrator";
    public const string PreprocessArchive = "PreprocessArchive";
    public const string RunBackbone = "RunBackbone";
    public const string FinalizeCase = "FinalizeCase";
    public const string RecordCaseFailure = "RecordCaseFailure";

    /// <summary>Every activity the orchestrator calls.</summary>
    public static IReadOnlyList<string> Activities { get; } =
        [PreprocessArchive, RunBackbone, FinalizeCase, RecordCaseFailure];
}
