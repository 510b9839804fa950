using System.Text.Json;
using Ccs.Core.Cases;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;

namespace Ccs.Core.Tests;

/// <summary>
/// The INT8 quantisation of the demo set (<c>models/int8</c>, from <c>models/quantize/quantize_int8.py</c>) against
/// the FP32 demo set it came from, on the bundled phantom case.
/// </summary>
public sealed class Int8ModelsTests
{
    private static readonly string Int8Models = Path.Combine(TestFiles.DemoModels, "int8");

    private static readonly string BundledCase = Path.Combine(TestFiles.RepoRoot, "samples", "phantom-case");

    /// <summary>
    /// Measured on an AVX-512 VNNI machine the backbones moved by at most 0.011 on the two real seed cases and the
    /// bundled case. CPUs without VNNI multiply u8 x s8 pairs into saturating 16-bit sums, which can move a little
    /// more; a broken quantisation (a wrong scale or zero point) moves them by far more than this.
    /// </summary>
    private const double Tolerance = 0.05;

    private static CaseResult Predict(string models)
    {
        using var set = ModelSet.Load(models, new InferenceOptions { IntraOpThreads = 1 });
        var pending = CaseReader.Open(BundledCase, CaseLimits.Default).Single();
        return new CasePredictor(set, 0.5).Predict(pending);
    }

    [Fact]
    public void The_int8_set_is_marked_as_such_and_meets_the_model_contract()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Int8Models, ModelManifest.FileName)));
        using var models = ModelSet.Load(Int8Models, new InferenceOptions { IntraOpThreads = 1 });

        Assert.Equal("int8", manifest.RootElement.GetProperty("precision").GetString());
        Assert.EndsWith("-int8", models.Manifest.Version);
        Assert.Equal(["resnet50", "vgg16", "mobilenet_v3_large", "efficientnet_v2_s"],
            models.Backbones.Select(b => b.Id));
        foreach (var fold in models.Manifest.Backbones.SelectMany(b => b.Folds))
        {
            var int8 = new FileInfo(Path.Combine(Int8Models, fold.File)).Length;
            var fp32 = new FileInfo(Path.Combine(TestFiles.DemoModels, fold.File)).Length;
            Assert.True(int8 < fp32 * 0.75, $"{fold.File}: {int8} bytes is not an int8 copy of {fp32}");
        }
    }

    [Fact]
    public void The_int8_set_agrees_with_fp32_on_the_bundled_case()
    {
        var fp32 = Predict(TestFiles.DemoModels);
        var int8 = Predict(Int8Models);

        Assert.Equal(fp32.Outcome.Positive, int8.Outcome.Positive);
        foreach (var (full, quantised) in fp32.Outcome.Backbones.Zip(int8.Outcome.Backbones))
        {
            Assert.Equal(full.BackboneId, quantised.BackboneId);
            Assert.InRange(quantised.Probability, full.Probability - Tolerance, full.Probability + Tolerance);
        }

        Assert.InRange(int8.Outcome.Ensemble, fp32.Outcome.Ensemble - Tolerance, fp32.Outcome.Ensemble + Tolerance);
        Assert.True(fp32.Outcome.Ensemble > 0.5, "the bundled case is a grade 3 phantom the demo set calls CCS");
    }

    [Fact]
    public void The_int8_grad_cam_lights_the_same_region_as_fp32()
    {
        var fp32 = Predict(TestFiles.DemoModels).Outcome.Backbones;
        var int8 = Predict(Int8Models).Outcome.Backbones;

        foreach (var (full, quantised) in fp32.Zip(int8))
        {
            var correlation = Correlation(full.Heat.Values, quantised.Heat.Values);
            Assert.True(correlation > 0.9, $"{full.BackboneId}: Grad-CAM correlation {correlation:0.000}");
        }
    }

    private static double Correlation(float[] a, float[] b)
    {
        var (meanA, meanB) = (a.Average(), b.Average());
        double cross = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            cross += (a[i] - meanA) * (b[i] - meanB);
            varA += (a[i] - meanA) * (a[i] - meanA);
            varB += (b[i] - meanB) * (b[i] - meanB);
        }

        return cross / Math.Sqrt(varA * varB);
    }
}
