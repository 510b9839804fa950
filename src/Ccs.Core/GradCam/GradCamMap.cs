using Ccs.Core.Preprocessing;

namespace Ccs.Core.GradCam;

/// <summary>
/// Grad-CAM from a model's last convolutional activation A (h x w x C, HWC) and the gradient of the logit with respect
/// to its global average pool, g_k = d logit / d GAP(A)_k. The Grad-CAM channel weight is alpha_k = g_k / (h * w),
/// so the map is ReLU(sum_k A[..., k] * g_k / (h * w)).
/// </summary>
public static class GradCamMap
{
    public static HeatMap FromFeatures(ReadOnlySpan<float> features, ReadOnlySpan<float> camWeights, int height,
        int width)
    {
        var channels = camWeights.Length;
        if (features.Length != height * width * channels)
        {
            throw new ArgumentException(
                $"features hold {features.Length} values, expected {height} x {width} x {channels}");
        }

        var cells = height * width;
        var map = new float[cells];
        for (var i = 0; i < cells; i++)
        {
            var activation = features.Slice(i * channels, channels);
            var sum = 0f;
            for (var k = 0; k < channels; k++)
            {
                sum += activation[k] * camWeights[k];
            }

            map[i] = Math.Max(0f, sum / cells);
        }

        return new HeatMap(height, width, map);
    }

    /// <summary>Bilinear resize, half-pixel centres, to the model input's 224 x 112.</summary>
    public static HeatMap ToInputSize(HeatMap map) =>
        new(CaseTensor.Height, CaseTensor.Width,
            Bilinear.Resize(map.Values, map.Height, map.Width, 1, CaseTensor.Height, CaseTensor.Width));
}
