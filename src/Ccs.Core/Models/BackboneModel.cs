using System.Diagnostics;
using Ccs.Core.GradCam;
using Ccs.Core.Preprocessing;

namespace Ccs.Core.Models;

/// <summary>
/// What one backbone says of one case: each fold's logit and sigmoid, their mean, and the fold-summed Grad-CAM at
/// feature resolution. <see cref="SessionMilliseconds"/> is the part of <see cref="Milliseconds"/> spent inside
/// ONNX Runtime.
/// </summary>
public sealed record BackbonePrediction(
    string BackboneId,
    IReadOnlyList<FoldOutput> Folds,
    double Probability,
    HeatMap Heat,
    double Milliseconds,
    double SessionMilliseconds);

/// <summary>A backbone of the model set: its fold sessions, run one after the other on a case.</summary>
public sealed class BackboneModel(BackboneSpec spec, IReadOnlyList<FoldSession> folds) : IDisposable
{
    public BackboneSpec Spec { get; } = spec;

    public string Id => Spec.Id;

    public IReadOnlyList<FoldSession> Folds { get; } = folds;

    public BackbonePrediction Predict(CaseTensor tensor)
    {
        var clock = Stopwatch.StartNew();
        var outputs = new List<FoldOutput>(Folds.Count);
        HeatMap? heat = null;
        var session = TimeSpan.Zero;
        foreach (var fold in Folds)
        {
            var (output, foldHeat, elapsed) = fold.Run(tensor);
            outputs.Add(output);
            session += elapsed;
            heat = heat is null ? foldHeat : heat.Add(foldHeat);
        }

        var probability = outputs.Average(o => o.Probability);
        return new BackbonePrediction(Id, outputs, probability, heat!, clock.Elapsed.TotalMilliseconds,
            session.TotalMilliseconds);
    }

    public void Dispose()
    {
        foreach (var fold in Folds)
        {
            fold.Dispose();
        }
    }
}
