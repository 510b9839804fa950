using System.Diagnostics;
using Ccs.Core.Cases;
using Ccs.Core.GradCam;
using Ccs.Core.Models;
using Ccs.Core.Preprocessing;
using Ccs.Core.Reports;

namespace Ccs.Core.Pipeline;

/// <summary>Everything one case produced: the numbers, the report and the files to store.</summary>
public sealed record CaseResult(CaseOutcome Outcome, CaseReport Report, IReadOnlyList<Artifact> Artifacts);

/// <summary>
/// The whole per-case pipeline in one process: decode, preprocess, every backbone's folds, Grad-CAM, PNG encoding and
/// the report. Stage times go into the report; the model sessions are the model set's, reused across cases.
/// </summary>
public sealed class CasePredictor(ModelSet models, double threshold)
{
    public static class Stages
    {
        public const string Decode = "decode";
        public const string Preprocess = "preprocess";
        public const string GradCam = "gradcam";
        public const string Png = "png";
        public const string Report = "report";
        public const string Total = "total";
    }

    public ModelSet Models { get; } = models;

    public CaseResult Predict(PendingCase pending, TimeProvider? clock = null)
    {
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();
        var input = Timed(timings, Stages.Decode, pending.Load);
        var prepared = Timed(timings, Stages.Preprocess, () => Preprocessor.Prepare(input));
        var predictions = Models.Backbones.Select(b => Timed(timings, b.Id, () => b.Predict(prepared.Tensor))).ToList();
        var heats = Timed(timings, Stages.GradCam,
            () => predictions.Select(p => GradCamMap.ToInputSize(p.Heat)).ToList());
        var ensembleHeat = Timed(timings, Stages.GradCam, () => CaseOutcome.EnsembleHeat(heats));
        var images = Timed(timings, Stages.Png, () => RenderImages(prepared.Tensor, predictions, heats, ensembleHeat));
        var outcome = CaseOutcome.Combine(input.CaseId, input.Demographics, predictions, Models.Demographics,
            threshold);
        timings[Stages.Total] = total.Elapsed.TotalMilliseconds;
        var created = (clock ?? TimeProvider.System).GetUtcNow();
        var report = Timed(timings, Stages.Report,
            () => CaseReport.Build(CaseSummary.From(prepared), Models.Manifest, outcome, timings, created));
        var documents = Timed(timings, Stages.Report, () => new[]
        {
            new Artifact(ArtifactNames.Report, "application/json", report.ToJson()),
            new Artifact(ArtifactNames.ReportPage, "text/html; charset=utf-8",
                System.Text.Encoding.UTF8.GetBytes(ReportPage.Render(report))),
        });
        timings[Stages.Total] = total.Elapsed.TotalMilliseconds;
        return new CaseResult(outcome, report, [.. images, .. documents]);
    }

    /// <summary>
    /// The input picture and one overlay per backbone and for the ensemble. Deflating them is most of the stage and
    /// they are independent, so they are encoded on every core at once; the list keeps its order.
    /// </summary>
    private static List<Artifact> RenderImages(CaseTensor tensor, IReadOnlyList<BackbonePrediction> predictions,
        IReadOnlyList<HeatMap> heats, HeatMap ensembleHeat)
    {
        var renders = new List<(string Name, Func<byte[]> Render)>
        {
            (ArtifactNames.Input, () => Overlay.RenderInputPng(tensor)),
        };
        renders.AddRange(predictions.Select((p, i) =>
            (ArtifactNames.GradCam(p.BackboneId), (Func<byte[]>)(() => Overlay.RenderPng(tensor, heats[i])))));
        renders.Add((ArtifactNames.GradCam(ArtifactNames.Ensemble), () => Overlay.RenderPng(tensor, ensembleHeat)));
        var images = new Artifact[renders.Count];
        Parallel.For(0, renders.Count, i => images[i] = Png(renders[i].Name, renders[i].Render()));
        return [.. images];
    }

    private static Artifact Png(string name, byte[] content) => new(name, "image/png", content);

    /// <summary>Runs a stage and adds its time to that stage's entry, so a stage run twice is counted whole.</summary>
    private static T Timed<T>(Dictionary<string, double> timings, string stage, Func<T> run)
    {
        var started = Stopwatch.GetTimestamp();
        var result = run();
        timings[stage] = timings.GetValueOrDefault(stage) + Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return result;
    }
}
