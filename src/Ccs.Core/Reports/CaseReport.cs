using System.Text.Json;
using System.Text.Json.Serialization;
using Ccs.Core.Adjustment;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;

namespace Ccs.Core.Reports;

/// <summary>
/// <c>report.json</c>. <see cref="Schema"/> changes whenever a field changes meaning or goes away, so readers can
/// refuse what they do not understand.
/// </summary>
public sealed record CaseReport(
    string Schema,
    string CaseId,
    DateTimeOffset CreatedAt,
    CaseSummary Input,
    ReportModels Models,
    IReadOnlyList<ReportBackbone> Backbones,
    ReportEnsemble Ensemble,
    IReadOnlyList<DemographicsPrediction> Demographics,
    double Threshold,
    ReportLabel Label,
    IReadOnlyDictionary<string, double> TimingsMs)
{
    public const string CurrentSchema = "ccs-report/1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static CaseReport Build(CaseSummary input, ModelManifest manifest, CaseOutcome outcome,
        IReadOnlyDictionary<string, double> timingsMs, DateTimeOffset createdAt)
    {
        var backbones = outcome.Backbones.Select(b =>
        {
            var spec = manifest.Backbones.First(s => s.Id == b.BackboneId);
            return new ReportBackbone(b.BackboneId, spec.DisplayName, b.Folds, b.Probability,
                ArtifactNames.GradCam(b.BackboneId));
        }).ToList();
        var models = new ReportModels(manifest.Name, manifest.Version, manifest.Provenance,
            manifest.Backbones.Select(b => new ReportModelVersion(b.Id, b.Version, b.Architecture)).ToList());
        return new CaseReport(CurrentSchema, outcome.CaseId, createdAt, input, models, backbones,
            new ReportEnsemble(outcome.Ensemble, ArtifactNames.GradCam(ArtifactNames.Ensemble)), outcome.Demographics,
            outcome.Threshold, new ReportLabel(outcome.Positive, outcome.LabelBasis), timingsMs);
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CaseReport FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<CaseReport>(json, Json) ?? throw new JsonException("report.json is empty");
}

public sealed record ReportModelVersion(string Backbone, string Version, string Architecture);

public sealed record ReportModels(string Name, string Version, string Provenance,
    IReadOnlyList<ReportModelVersion> Backbones);

public sealed record ReportBackbone(string Id, string DisplayName, IReadOnlyList<FoldOutput> Folds,
    double Probability, string GradCam);

public sealed record ReportEnsemble(double Probability, string GradCam);

/// <param name="Basis">The regression the label came from (age_sex, age or sex), or "ensemble".</param>
public sealed record ReportLabel(bool Positive, string Basis);
