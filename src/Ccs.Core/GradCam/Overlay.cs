using Ccs.Core.Preprocessing;

namespace Ccs.Core.GradCam;

/// <summary>
/// The research code's overlay: the heat map scaled by its absolute maximum to 0..255 (truncated), coloured with the
/// plasma table, and averaged with the input image: min((image / 255 + colour) / 2, 1).
/// </summary>
public static class Overlay
{
    /// <summary>The overlay as interleaved RGB bytes, 224 x 112.</summary>
    public static byte[] Blend(CaseTensor image, HeatMap heat)
    {
        if (heat.Height != CaseTensor.Height || heat.Width != CaseTensor.Width)
        {
            throw new ArgumentException($"overlay needs a {CaseTensor.Height} x {CaseTensor.Width} heat map");
        }

        var max = 0f;
        foreach (var v in heat.Values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        var rgb = new byte[CaseTensor.Length];
        var plasma = PlasmaColormap.Rgb;
        for (var i = 0; i < heat.Values.Length; i++)
        {
            var level = max > 0 ? (int)(Math.Abs(heat.Values[i]) / max * 255f) : 0;
            level = Math.Clamp(level, 0, PlasmaColormap.Size - 1);
            for (var c = 0; c < CaseTensor.Channels; c++)
            {
                var value = Math.Min((image.Values[i * 3 + c] / 255f + plasma[level * 3 + c]) / 2f, 1f);
                rgb[i * 3 + c] = ToByte(value);
            }
        }

        return rgb;
    }

    public static byte[] RenderPng(CaseTensor image, HeatMap heat) => EncodeRgb(Blend(image, heat));

    /// <summary>The three stacked slices as an RGB picture: what the models were given.</summary>
    public static byte[] RenderInputPng(CaseTensor image)
    {
        var rgb = new byte[CaseTensor.Length];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = ToByte(image.Values[i] / 255f);
        }

        return EncodeRgb(rgb);
    }

    private static byte ToByte(float unit) => (byte)Math.Clamp(MathF.Round(unit * 255f), 0, 255);

    private static byte[] EncodeRgb(byte[] rgb) => RgbPng.Encode(rgb, CaseTensor.Width, CaseTensor.Height);
}
