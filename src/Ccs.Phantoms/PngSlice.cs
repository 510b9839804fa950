using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Phantoms;

/// <summary>8-bit grayscale PNG encoding of a slice. The encoder writes no time stamp, so equal pixels give equal
/// bytes.</summary>
public static class PngSlice
{
    private static readonly PngEncoder Encoder = new()
    {
        ColorType = PngColorType.Grayscale,
        BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.BestCompression,
    };

    public static byte[] Encode(byte[] pixels, int width, int height)
    {
        using var image = Image.LoadPixelData<L8>(pixels, width, height);
        using var stream = new MemoryStream();
        image.Save(stream, Encoder);
        return stream.ToArray();
    }
}
