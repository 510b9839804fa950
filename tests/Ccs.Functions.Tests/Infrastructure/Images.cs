using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Functions.Tests.Infrastructure;

public static class Images
{
    public static Image<Rgb24> Decode(byte[] png) => Image.Load<Rgb24>(png);

    /// <summary>Asserts a stored image is a 112 x 224 PNG and returns its pixels.</summary>
    public static Rgb24[] Pixels(byte[] png)
    {
        using var image = Decode(png);
        Assert.Equal(TestArchives.Width, image.Width);
        Assert.Equal(TestArchives.Height, image.Height);
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}
