namespace Ccs.Core.Preprocessing;

/// <summary>
/// Bilinear resampling of an interleaved (HWC) float image with half-pixel centres and no antialiasing: a destination
/// pixel d samples the source at (d + 0.5) * in / out - 0.5, clamped to the edge. This is what TensorFlow's and
/// PyTorch's bilinear resize (align_corners=False) compute, so the models see the values they were trained on.
/// </summary>
public static class Bilinear
{
    public readonly record struct Window(int Top, int Left, int Height, int Width);

    public static float[] Resize(ReadOnlySpan<float> source, int height, int width, int channels, int outHeight,
        int outWidth) =>
        Resize(source, height, width, channels, new Window(0, 0, height, width), outHeight, outWidth);

    /// <summary>Resamples the <paramref name="window"/> of the source, which is how a centre crop is applied.</summary>
    public static float[] Resize(ReadOnlySpan<float> source, int height, int width, int channels, Window window,
        int outHeight, int outWidth)
    {
        if (source.Length != height * width * channels)
        {
            throw new ArgumentException($"expected {height * width * channels} values, got {source.Length}");
        }

        var rows = Taps(window.Height, outHeight, window.Top);
        var cols = Taps(window.Width, outWidth, window.Left);
        var output = new float[outHeight * outWidth * channels];
        var o = 0;
        for (var y = 0; y < outHeight; y++)
        {
            var (y0, y1, fy) = rows[y];
            for (var x = 0; x < outWidth; x++)
            {
                var (x0, x1, fx) = cols[x];
                int a = (y0 * width + x0) * channels, b = (y0 * width + x1) * channels;
                int c = (y1 * width + x0) * channels, d = (y1 * width + x1) * channels;
                for (var k = 0; k < channels; k++)
                {
                    var top = source[a + k] + (source[b + k] - source[a + k]) * fx;
                    var bottom = source[c + k] + (source[d + k] - source[c + k]) * fx;
                    output[o++] = top + (bottom - top) * fy;
                }
            }
        }

        return output;
    }

    /// <summary>Per destination index along one axis: both source indices and the weight of the second.</summary>
    private static (int Low, int High, float Weight)[] Taps(int inSize, int outSize, int offset)
    {
        var taps = new (int, int, float)[outSize];
        var scale = (double)inSize / outSize;
        for (var d = 0; d < outSize; d++)
        {
            var s = Math.Clamp((d + 0.5) * scale - 0.5, 0, inSize - 1);
            var low = (int)Math.Floor(s);
            var high = Math.Min(low + 1, inSize - 1);
            taps[d] = (low + offset, high + offset, (float)(s - low));
        }

        return taps;
    }
}
