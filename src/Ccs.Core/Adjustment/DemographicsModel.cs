using Ccs.Core.Cases;
using Ccs.Core.Models;

namespace Ccs.Core.Adjustment;

/// <summary>One logistic regression's answer for a case.</summary>
public sealed record DemographicsPrediction(string Model, double Probability, bool Positive);

/// <summary>
/// The study's logistic regressions over the four backbone probabilities plus age, sex (M = 0, F = 1) or both.
/// Coefficients apply to raw values: probabilities in 0..1, age in years.
/// </summary>
public sealed class DemographicsModel
{
    public const string Age = "age";
    public const string Sex = "sex";
    public const string AgeAndSex = "age_sex";

    private readonly IReadOnlyDictionary<string, LogisticSpec> _models;
    private readonly IReadOnlyDictionary<string, int> _sexEncoding;

    private DemographicsModel(DemographicsSpec spec, IReadOnlyDictionary<string, LogisticSpec> models)
    {
        Threshold = spec.Threshold;
        _sexEncoding = spec.SexEncoding;
        _models = models;
    }

    public double Threshold { get; }

    public static DemographicsModel FromManifest(ModelManifest manifest, string manifestPath)
    {
        var spec = manifest.Demographics
            ?? throw new ModelLoadException(manifestPath, "has no 'demographics' section");
        if (spec.Threshold is not (> 0 and < 1))
        {
            throw new ModelLoadException(manifestPath,
                $"demographics.threshold must lie between 0 and 1, not {spec.Threshold}; it is the probability at or "
                + "above which a case is labelled CCS");
        }

        var backbones = manifest.Backbones.Select(b => b.Id).ToList();
        var models = new Dictionary<string, LogisticSpec>(StringComparer.Ordinal);
        foreach (var model in spec.Models ?? [])
        {
            var expected = backbones.Concat(Extras(model.Name, manifestPath)).Order(StringComparer.Ordinal);
            var actual = (model.Coefficients ?? new Dictionary<string, double>()).Keys.Order(StringComparer.Ordinal);
            if (!expected.SequenceEqual(actual))
            {
                throw new ModelLoadException(manifestPath,
                    $"demographics model '{model.Name}' has coefficients for [{string.Join(", ", actual)}], "
                    + $"expected [{string.Join(", ", expected)}]");
            }

            models[model.Name] = model;
        }

        if (!spec.SexEncoding.ContainsKey(nameof(Cases.Sex.M)) || !spec.SexEncoding.ContainsKey(nameof(Cases.Sex.F)))
        {
            throw new ModelLoadException(manifestPath, "demographics.sexEncoding must give values for M and F");
        }

        return new DemographicsModel(spec, models);
    }

    private static string[] Extras(string model, string manifestPath) => model switch
    {
        Age => [Age],
        Sex => [Sex],
        AgeAndSex => [Age, Sex],
        _ => throw new ModelLoadException(manifestPath,
            $"unknown demographics model '{model}'; expected {Age}, {Sex} or {AgeAndSex}"),
    };

    /// <summary>Every regression the known demographics allow, most informed first.</summary>
    public IReadOnlyList<DemographicsPrediction> Predict(IReadOnlyDictionary<string, double> backboneProbabilities,
        Cases.Demographics demographics, double? threshold = null)
    {
        var cut = threshold ?? Threshold;
        var inputs = new Dictionary<string, double>(backboneProbabilities, StringComparer.Ordinal);
        if (demographics.Age is { } age)
        {
            inputs[Age] = age;
        }

        if (demographics.Sex is { } sex)
        {
            inputs[Sex] = _sexEncoding[sex.ToString()];
        }

        return new[] { AgeAndSex, Age, Sex }
            .Where(name => _models.ContainsKey(name) && _models[name].Coefficients.Keys.All(inputs.ContainsKey))
            .Select(name =>
            {
                var model = _models[name];
                var z = model.Intercept + model.Coefficients.Sum(c => c.Value * inputs[c.Key]);
                var p = Logistic.Sigmoid(z);
                return new DemographicsPrediction(name, p, p >= cut);
            })
            .ToList();
    }
}
