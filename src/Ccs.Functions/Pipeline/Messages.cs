using Ccs.Core.Models;
using Ccs.Core.Pipeline;

namespace Ccs.Functions.Pipeline;

// What the orchestrator and its activities pass each other: references to blobs and small digests, never pixels,
// so the orchestration history stays small.

/// <summary>One uploaded archive, pinned to the version (ETag) the trigger saw.</summary>
/// <param name="ArchiveId">
/// One per exact blob name (<see cref="Intake.ArchiveNames.ArchiveId"/>): the RowKey of its cases' rows.
/// </param>
public sealed record ArchiveJob(
    string Container,
    string BlobName,
    string ETag,
    string ArchiveId,
    string InstanceId,
    DateTimeOffset QueuedAt);

/// <summary>A case that read and preprocessed cleanly; its tensor and input image are in the results.</summary>
public sealed record PreparedCaseRef(string CaseId, CaseSummary Summary, string TensorBlob, string InputBlob,
    double DecodeMs, double PreprocessMs);

public sealed record CaseFailure(string CaseId, string Error);

/// <summary>What came out of an archive; <see cref="Backbones"/> are the model set's, in manifest order.</summary>
/// <param name="Error">Why the archive as a whole could not be read (then it holds no cases), or null.</param>
public sealed record PreparedArchive(
    IReadOnlyList<PreparedCaseRef> Cases,
    IReadOnlyList<CaseFailure> Failures,
    IReadOnlyList<string> Backbones,
    string? Error)
{
    public static PreparedArchive Unreadable(string error, IReadOnlyList<string> backbones) =>
        new([], [], backbones, error);
}

public sealed record BackboneJob(string CaseId, string ArchiveId, string BackboneId, string TensorBlob);

/// <summary>One backbone's prediction for a case; its heat map is at feature resolution, so it is small.</summary>
public sealed record BackboneResult(BackbonePrediction Prediction, string GradCamBlob);

public sealed record FinalizeJob(ArchiveJob Archive, PreparedCaseRef Case, IReadOnlyList<BackboneResult> Backbones,
    double PipelineMs);

public sealed record CaseCompleted(string CaseId, double Ensemble, bool Positive);

/// <param name="CaseId">The case that failed, or null when the archive as a whole did.</param>
public sealed record FailureJob(ArchiveJob Archive, string? CaseId, string Error);

/// <summary>
/// The orchestration's output: which cases completed and which failed, and why; or, in <see cref="Error"/>, why the
/// archive as a whole failed.
/// </summary>
public sealed record ArchiveOutcome(string ArchiveId, IReadOnlyList<CaseCompleted> Completed,
    IReadOnlyList<CaseFailure> Failed, string? Error);
