using Ccs.Core.Cases;

namespace Ccs.Core.Preprocessing;

/// <summary>A case ready for the models, with what preprocessing had to change said in plain words.</summary>
public sealed record PreparedCase(CaseInput Case, CaseTensor Tensor, IReadOnlyList<string> Notes);

/// <summary>
/// The research code's preprocessing: stack the slices as channels, centre-crop to 95 % and resize back to
/// 224 x 112 bilinearly. Slices of another size are first resized to 224 x 112, and the report says so.
/// </summary>
public static class Preprocessor
{
    public const double CropFraction = 0.95;

    public static PreparedCase Prepare(CaseInput input)
    {
        var notes = new List<string>();
        var mid = input.MidSlice;
        var stacked = Stack(input.Slices);
        if (mid.Height != CaseTensor.Height || mid.Width != CaseTensor.Width)
        {
            stacked = Bilinear.Resize(stacked, mid.Height, mid.Width, CaseTensor.Channels,
                CaseTensor.Height, CaseTensor.Width);
            notes.Add($"slices were {mid.Width} x {mid.Height} (width x height) and were resized to "
                + $"{CaseTensor.Width} x {CaseTensor.Height} before preprocessing");
        }

        return new PreparedCase(input, new CaseTensor(CropAndResize(stacked)), notes);
    }

    /// <summary>The window the crop keeps: 212 x 106 from row 6 and column 3 of a 224 x 112 image.</summary>
    public static Bilinear.Window CropWindow(int height, int width)
    {
        var cropHeight = (int)Math.Floor(height * CropFraction);
        var cropWidth = (int)Math.Floor(width * CropFraction);
        return new Bilinear.Window((height - cropHeight) / 2, (width - cropWidth) / 2, cropHeight, cropWidth);
    }

    public static float[] CropAndResize(float[] stacked) =>
        Bilinear.Resize(stacked, CaseTensor.Height, CaseTensor.Width, CaseTensor.Channels,
            CropWindow(CaseTensor.Height, CaseTensor.Width), CaseTensor.Height, CaseTensor.Width);

    private static float[] Stack(IReadOnlyList<Slice> slices)
    {
        var pixels = slices[0].Pixels.Length;
        var stacked = new float[pixels * slices.Count];
        for (var c = 0; c < slices.Count; c++)
        {
            var source = slices[c].Pixels;
            for (var i = 0; i < pixels; i++)
            {
                stacked[i * slices.Count + c] = source[i];
            }
        }

        return stacked;
    }
}
