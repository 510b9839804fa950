using Ccs.Core.Cases;
using Ccs.Core.Adjustment;
using Ccs.Core.GradCam;
using Ccs.Core.Models;

namespace Ccs.Core.Pipeline;

/// <summary>
/// The answer for one case: each backbone, their ensemble (mean of the backbone probabilities), the demographics
/// regressions the known age and sex allow, and the label. The label comes from the most informed regression when
/// age or sex is known, from the ensemble otherwise; <see cref="LabelBasis"/> says which.
/// </summary>
public sealed record CaseOutcome(
    string CaseId,
    IReadOnlyList<BackbonePrediction> Backbones,
    double Ensemble,
    IReadOnlyList<DemographicsPrediction> Demographics,
    double Threshold,
    bool Positive,
    string LabelBasis)
{
    public const string EnsembleBasis = "ensemble";

    public DemographicsPrediction? Adjusted => Demographics.Count > 0 ? Demographics[0] : null;

    public static CaseOutcome Combine(string caseId, Cases.Demographics demographics,
        IReadOnlyList<BackbonePrediction> backbones, DemographicsModel model, double threshold)
    {
        if (backbones.Count == 0)
        {
            throw new ArgumentException("a case outcome needs at least one backbone prediction");
        }

        var ensemble = backbones.Average(b => b.Probability);
        var byBackbone = backbones.ToDictionary(b => b.BackboneId, b => b.Probability, StringComparer.Ordinal);
        var adjusted = model.Predict(byBackbone, demographics, threshold);
        var positive = adjusted.Count > 0 ? adjusted[0].Positive : ensemble >= threshold;
        var basis = adjusted.Count > 0 ? adjusted[0].Model : EnsembleBasis;
        return new CaseOutcome(caseId, backbones, ensemble, adjusted, threshold, positive, basis);
    }

    /// <summary>The ensemble Grad-CAM: the sum of the backbones' maps, each first brought to the input size.</summary>
    public static HeatMap EnsembleHeat(IEnumerable<HeatMap> backboneHeatsAtInputSize) =>
        backboneHeatsAtInputSize.Aggregate((sum, next) => sum.Add(next));
}
