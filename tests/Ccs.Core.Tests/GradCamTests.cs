using Ccs.Core.GradCam;
using Ccs.Core.Models;
using Ccs.Core.Preprocessing;

namespace Ccs.Core.Tests;

/// <summary>
/// The tiny models (tests/fixtures/make_tiny_models.py) average 56 x 56 blocks into a 4 x 2 x 3 activation and apply a
/// linear head, so for an input whose block (row r, column s) holds 10k + 5c in channel c, k = 2r + s, everything
/// below can be worked out by hand: GAP = (35, 40, 45), logit = w . GAP + b, cam_weights = w.
/// </summary>
public sealed class GradCamTests : IClassFixture<GradCamTests.TinySet>
{
    public sealed class TinySet : IDisposable
    {
        public ModelSet Models { get; } =
            ModelSet.Load(TestFiles.TinyModels, new InferenceOptions { IntraOpThreads = 1 });

        public void Dispose() => Models.Dispose();
    }

    private readonly ModelSet _models;

    public GradCamTests(TinySet set) => _models = set.Models;

    private static CaseTensor BlockImage()
    {
        var values = new float[CaseTensor.Length];
        for (var y = 0; y < CaseTensor.Height; y++)
        {
            for (var x = 0; x < CaseTensor.Width; x++)
            {
                var k = 2 * (y / 56) + x / 56;
                for (var c = 0; c < 3; c++)
                {
                    values[(y * CaseTensor.Width + x) * 3 + c] = 10 * k + 5 * c;
                }
            }
        }

        return new CaseTensor(values);
    }

    [Fact]
    public void Fold_logits_and_probabilities_match_the_hand_computed_head()
    {
        var alpha = _models.Backbone("alpha").Predict(BlockImage());

        // Fold 1: 0.02 * 35 - 0.01 * 40 + 0.005 * 45 - 0.5 = 0.025. Fold 2: 0.35 + 0.40 - 0.90 + 0.25 = 0.1.
        Assert.Equal(0.025, alpha.Folds[0].Logit, 5);
        Assert.Equal(0.1, alpha.Folds[1].Logit, 5);
        Assert.Equal(1 / (1 + Math.Exp(-0.025)), alpha.Folds[0].Probability, 5);
        Assert.Equal((1 / (1 + Math.Exp(-0.025)) + 1 / (1 + Math.Exp(-0.1))) / 2, alpha.Probability, 5);
    }

    [Fact]
    public void Fold_heat_maps_are_relu_of_weighted_features_over_cells_and_are_summed_over_folds()
    {
        var alpha = _models.Backbone("alpha").Predict(BlockImage());
        var beta = _models.Backbone("beta").Predict(BlockImage());

        // Alpha fold 1: sum_c (10k + 5c) w_c = 0.15k, over 8 cells: 0.01875k. Fold 2: -0.15 everywhere, ReLU gives 0.
        Assert.Equal(4, alpha.Heat.Height);
        Assert.Equal(2, alpha.Heat.Width);
        for (var k = 0; k < 8; k++)
        {
            Assert.Equal(0.01875 * k, alpha.Heat.Values[k], 1e-6);
        }

        // Beta fold 1: 0.2 / 8 = 0.025. Fold 2: 0.005 * (30k + 15) / 8.
        for (var k = 0; k < 8; k++)
        {
            Assert.Equal(0.025 + 0.005 * (30 * k + 15) / 8, beta.Heat.Values[k], 1e-6);
        }
    }

    [Fact]
    public void Heat_maps_are_upsampled_bilinearly_to_the_input_size()
    {
        var heat = new HeatMap(4, 2, Enumerable.Range(0, 8).Select(k => 0.01875f * k).ToArray());

        var full = GradCamMap.ToInputSize(heat);

        Assert.Equal((224, 112), (full.Height, full.Width));
        Assert.Equal(0f, full.Values[0], 6);
        Assert.Equal(0.01875f * 7, full.Values[^1], 6);
        // Row 84 samples source row 84.5 / 56 - 0.5 = 1 + 1 / 112, between k = 2 and k = 4 at column 0.
        Assert.Equal(0.01875f * (2 + 2f / 112), full.Values[84 * 112], 6);
        // Column 56 samples 56.5 / 56 - 0.5 = 0.5089..., row 0: between k = 0 and k = 1.
        Assert.Equal(0.01875f * (56.5f / 56 - 0.5f), full.Values[56], 6);
    }

    [Fact]
    public void Overlay_scales_by_the_maximum_takes_the_plasma_colour_and_averages_with_the_image()
    {
        var image = new CaseTensor(Enumerable.Repeat(51f, CaseTensor.Length).ToArray());
        var values = new float[224 * 112];
        values[0] = -2f;
        values[1] = 1f;
        values[2] = 0.5f;
        var rgb = Overlay.Blend(image, new HeatMap(224, 112, values));

        // |-2| is the maximum: level 255, plasma (0.940015, 0.975158, 0.131326); image 51 / 255 = 0.2.
        Assert.Equal(Expected(0.2, 0.940015), rgb[0]);
        Assert.Equal(Expected(0.2, 0.975158), rgb[1]);
        Assert.Equal(Expected(0.2, 0.131326), rgb[2]);
        // 1 / 2 * 255 = 127.5, truncated to level 127: plasma (0.794549, 0.27577, 0.473117).
        Assert.Equal(Expected(0.2, 0.794549), rgb[3]);
        Assert.Equal(Expected(0.2, 0.27577), rgb[4]);
        // 0.5 / 2 * 255 = 63.75 -> level 63: plasma (0.489055, 0.010127, 0.658534). Zero heat -> level 0.
        Assert.Equal(Expected(0.2, 0.489055), rgb[6]);
        Assert.Equal(88, rgb[6]);
        Assert.Equal(Expected(0.2, 0.050383), rgb[9]);
        Assert.Equal(Expected(0.2, 0.527975), rgb[11]);
    }

    [Fact]
    public void The_input_picture_shows_the_three_slices_as_red_green_and_blue()
    {
        var values = new float[CaseTensor.Length];
        for (var i = 0; i < values.Length; i += 3)
        {
            (values[i], values[i + 1], values[i + 2]) = (10f, 127.6f, 255f);
        }

        var png = Overlay.RenderInputPng(new CaseTensor(values));

        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(png);
        Assert.Equal((112, 224), (image.Width, image.Height));
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(10, 128, 255), image[57, 100]);
    }

    [Fact]
    public void The_ensemble_heat_map_is_the_sum_of_the_backbones_maps()
    {
        var a = new HeatMap(1, 2, [1f, 2f]);
        var b = new HeatMap(1, 2, [0.5f, 4f]);

        Assert.Equal([1.5f, 6f], Pipeline.CaseOutcome.EnsembleHeat([a, b]).Values);
    }

    private static byte Expected(double image, double colour) =>
        (byte)Math.Round(Math.Min((image + colour) / 2, 1) * 255, MidpointRounding.ToEven);
}
