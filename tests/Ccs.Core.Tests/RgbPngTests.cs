using Ccs.Core.GradCam;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Core.Tests;

public sealed class RgbPngTests
{
    private static byte[] Noise(int width, int height, int seed)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    [Theory]
    [InlineData(112, 224)]
    [InlineData(7, 5)]
    [InlineData(1, 1)]
    public void A_decoder_reads_back_every_pixel(int width, int height)
    {
        var rgb = Noise(width, height, width * 1000 + height);

        using var image = Image.Load<Rgb24>(RgbPng.Encode(rgb, width, height));

        Assert.Equal((width, height), (image.Width, image.Height));
        var decoded = new byte[rgb.Length];
        image.CopyPixelDataTo(decoded);
        Assert.Equal(rgb, decoded);
    }

    [Fact]
    public void The_file_is_a_truecolour_8_bit_png_with_a_valid_end_chunk()
    {
        var png = RgbPng.Encode(Noise(3, 2, 1), 3, 2);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(new byte[] { 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0 }, png[16..29]);
        // IEND is empty, so its CRC is the same in every PNG: AE 42 60 82.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    [Fact]
    public void A_smooth_picture_compresses()
    {
        var rgb = new byte[112 * 224 * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(i / 3 % 112);
        }

        Assert.True(RgbPng.Encode(rgb, 112, 224).Length < rgb.Length / 20);
    }

    [Fact]
    public void Pixels_that_do_not_fill_the_size_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RgbPng.Encode(new byte[10], 2, 2));
    }
}
