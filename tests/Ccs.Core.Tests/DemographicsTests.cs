using Ccs.Core.Cases;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;

namespace Ccs.Core.Tests;

public sealed class DemographicsTests
{
    private static readonly Dictionary<string, double> Probabilities = new() { ["alpha"] = 0.8, ["beta"] = 0.4 };

    private static Adjustment.DemographicsModel Model()
    {
        var manifest = ModelSet.ReadManifest(TestFiles.TinyModels);
        return Adjustment.DemographicsModel.FromManifest(manifest, "manifest.json");
    }

    [Fact]
    public void Age_and_sex_use_the_combined_regression_first()
    {
        var predictions = Model().Predict(Probabilities, new Demographics(60, Sex.F));

        // age_sex: -3 + 2 * 0.8 + 1 * 0.4 + 0.03 * 60 - 0.4 * 1 = 0.4. age: -2 + 1.2 + 0.2 + 1.2 = 0.6.
        // sex: -1 + 0.8 + 0.4 - 0.5 = -0.3.
        Assert.Equal(["age_sex", "age", "sex"], predictions.Select(p => p.Model));
        Assert.Equal(1 / (1 + Math.Exp(-0.4)), predictions[0].Probability, 10);
        Assert.Equal(1 / (1 + Math.Exp(-0.6)), predictions[1].Probability, 10);
        Assert.Equal(1 / (1 + Math.Exp(0.3)), predictions[2].Probability, 10);
        Assert.True(predictions[0].Positive);
        Assert.False(predictions[2].Positive);
    }

    [Fact]
    public void Only_the_regressions_the_known_fields_allow_are_used()
    {
        var sexOnly = Model().Predict(Probabilities, new Demographics(null, Sex.M));
        var none = Model().Predict(Probabilities, Demographics.Unknown);

        var sex = Assert.Single(sexOnly);
        Assert.Equal("sex", sex.Model);
        Assert.Equal(1 / (1 + Math.Exp(-0.2)), sex.Probability, 10);
        Assert.Empty(none);
    }

    [Fact]
    public void The_label_follows_the_threshold()
    {
        var low = Model().Predict(Probabilities, new Demographics(60, Sex.F), threshold: 0.6);

        Assert.False(low[0].Positive);
        Assert.True(low[1].Positive);
    }

    [Fact]
    public void Without_demographics_the_label_comes_from_the_ensemble()
    {
        var backbones = Probabilities.Select(p => new BackbonePrediction(p.Key, [], p.Value,
            GradCam.HeatMap.Zero(1, 1), 0, 0)).ToList();

        var outcome = CaseOutcome.Combine("c", Demographics.Unknown, backbones, Model(), 0.5);

        Assert.Equal(0.6, outcome.Ensemble, 10);
        Assert.True(outcome.Positive);
        Assert.Equal(CaseOutcome.EnsembleBasis, outcome.LabelBasis);
        Assert.Null(outcome.Adjusted);
    }

    [Fact]
    public void Sigmoid_is_stable_for_large_logits()
    {
        Assert.Equal(1.0, Logistic.Sigmoid(800), 12);
        Assert.Equal(0.0, Logistic.Sigmoid(-800), 12);
        Assert.Equal(0.5, Logistic.Sigmoid(0), 12);
    }
}
