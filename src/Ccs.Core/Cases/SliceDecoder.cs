using System.Security.Cryptography;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Core.Cases;

/// <summary>
/// Turns untrusted PNG bytes into a <see cref="Slice"/>. Only the PNG decoder is registered, and the header is read
/// and checked against <see cref="CaseLimits"/> before a single pixel is decoded.
/// </summary>
public static class SliceDecoder
{
    private static readonly Configuration PngOnly = new(new PngConfigurationModule());

    /// <summary>Text chunks are never read: a compressed one can unpack to gigabytes.</summary>
    private static readonly PngDecoder Decoder = new() { IgnoreMetadata = true };

    /// <summary>The IEND chunk every complete PNG ends with: length 0, type, CRC.</summary>
    private static ReadOnlySpan<byte> EndChunk => [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    public static Slice Decode(byte[] png, string caseName, string fileName, CaseLimits limits)
    {
        var info = Identify(png, caseName, fileName);
        if (!png.AsSpan().EndsWith(EndChunk))
        {
            // The decoder fills the rows of a cut-off file with black without complaint; a model must not see that.
            throw new InvalidCaseException(caseName, fileName, "PNG is truncated: it does not end with an IEND chunk");
        }

        if (info.Width > limits.MaxSliceWidth || info.Height > limits.MaxSliceHeight)
        {
            throw new InvalidCaseException(caseName, fileName,
                $"image is {info.Width} x {info.Height}; "
                + $"at most {limits.MaxSliceWidth} x {limits.MaxSliceHeight} is accepted");
        }

        var png16 = CheckGrayscale(info, caseName, fileName);
        var pixels = png16 ? Decode16(png, caseName, fileName) : Decode8(png, caseName, fileName);
        return new Slice(fileName, info.Width, info.Height, png16 ? 16 : 8, pixels, Sha256(png));
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static IImageInfo Identify(byte[] png, string caseName, string fileName)
    {
        try
        {
            using var stream = new MemoryStream(png, writable: false);
            return Decoder.Identify(PngOnly, stream, CancellationToken.None)
                ?? throw new InvalidCaseException(caseName, fileName, "not a PNG image");
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new InvalidCaseException(caseName, fileName, $"not a readable PNG ({e.Message})");
        }
    }

    /// <returns>True for a 16-bit slice, false for an 8-bit one.</returns>
    private static bool CheckGrayscale(IImageInfo info, string caseName, string fileName)
    {
        var png = info.Metadata.GetPngMetadata();
        if (png.ColorType is not PngColorType.Grayscale)
        {
            throw new InvalidCaseException(caseName, fileName,
                $"slices must be grayscale PNGs, this one is {png.ColorType?.ToString() ?? "of unknown colour type"}");
        }

        return png.BitDepth switch
        {
            PngBitDepth.Bit8 => false,
            PngBitDepth.Bit16 => true,
            _ => throw new InvalidCaseException(caseName, fileName,
                $"slices must be 8- or 16-bit, this one is {png.BitDepth?.ToString() ?? "of unknown bit depth"}"),
        };
    }

    private static float[] Decode8(byte[] png, string caseName, string fileName)
    {
        using var image = Load<L8>(png, caseName, fileName);
        var raw = new L8[image.Width * image.Height];
        image.CopyPixelDataTo(raw);
        var pixels = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            pixels[i] = raw[i].PackedValue;
        }

        return pixels;
    }

    /// <summary>16-bit slices are stretched linearly from their own minimum and maximum to 0..255.</summary>
    private static float[] Decode16(byte[] png, string caseName, string fileName)
    {
        using var image = Load<L16>(png, caseName, fileName);
        var raw = new L16[image.Width * image.Height];
        image.CopyPixelDataTo(raw);
        int min = ushort.MaxValue, max = 0;
        foreach (var p in raw)
        {
            min = Math.Min(min, p.PackedValue);
            max = Math.Max(max, p.PackedValue);
        }

        var scale = max > min ? 255f / (max - min) : 0f;
        var pixels = new float[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            pixels[i] = (raw[i].PackedValue - min) * scale;
        }

        return pixels;
    }

    /// <summary>
    /// A malformed PNG can surface from deep inside the decoder (zlib, chunk parsing) as several exception types;
    /// all of them mean the file is bad, not that the program is.
    /// </summary>
    private static bool IsDecoderFailure(Exception e) =>
        e is ImageFormatException or InvalidDataException or IndexOutOfRangeException or ArgumentException
            or NotSupportedException or EndOfStreamException or OverflowException;

    private static Image<TPixel> Load<TPixel>(byte[] png, string caseName, string fileName)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            using var stream = new MemoryStream(png, writable: false);
            return Image.Load<TPixel>(PngOnly, stream, Decoder);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new InvalidCaseException(caseName, fileName, $"PNG data is corrupt ({e.Message})");
        }
    }
}
