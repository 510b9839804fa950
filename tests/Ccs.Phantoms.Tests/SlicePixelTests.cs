using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Phantoms.Tests;

/// <summary>Checks on the PNGs as written, decoded again, so the pixels a model sees are the ones tested.</summary>
public sealed class SlicePixelTests
{
    private const DiscLevel Level = DiscLevel.C5C6;

    /// <summary>Above every ligament, cortex and disc signal and below every cord signal a phantom can draw.</summary>
    private const int CanalThreshold = 60;

    [Fact]
    public void SlicesDecodeAs112By224EightBitGrey()
    {
        foreach (var (name, bytes) in CaseWriter.Files(PhantomCase.Render(PhantomSpec.Draw(3, 1))).SkipLast(1))
        {
            var info = Image.Identify(bytes);
            var png = info.Metadata.GetPngMetadata();
            Assert.Equal((112, 224), (info.Width, info.Height));
            Assert.Equal(PngColorType.Grayscale, png.ColorType);
            Assert.Equal(PngBitDepth.Bit8, png.BitDepth);
            Assert.EndsWith(".png", name);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void GradeThreeCanalIsNarrowerThanTheSameAnatomyAtGradeZero(int index)
    {
        var spec = PhantomSpec.Draw(5, index) with { Scanner = ScannerProfile.Clean };
        var normal = MidSlice(spec with { Pathology = Pathology.None });
        var stenotic = MidSlice(spec with { Pathology = Pathology.Single(Level, KangGrade.CordSignalChange) });

        var (x, y) = spec.Anatomy.CanalCentreInImage(Level);
        var normalCanal = Run(normal, x, y, v => v >= CanalThreshold);
        var stenoticCanal = Run(stenotic, x, y, v => v >= CanalThreshold);

        Assert.InRange(normalCanal, 12, 26);
        Assert.True(stenoticCanal <= normalCanal - 6, $"canal {stenoticCanal} px at grade 3, {normalCanal} at 0");
    }

    [Fact]
    public void GradeThreeEffacesTheCsfThatGradeZeroShows()
    {
        var spec = PhantomSpec.Draw(5, 4) with { Scanner = ScannerProfile.Clean };
        var csf = 0.92 * spec.Anatomy.Signals.Csf;
        var normal = MidSlice(spec with { Pathology = Pathology.None });
        var stenotic = MidSlice(spec with { Pathology = Pathology.Single(Level, KangGrade.CordSignalChange) });

        var (x, y) = spec.Anatomy.CanalCentreInImage(Level);
        var normalCsf = BrightPixels(normal, x, y, csf);
        var stenoticCsf = BrightPixels(stenotic, x, y, csf);

        Assert.True(normalCsf >= 3, $"{normalCsf} CSF pixels across a normal canal");
        Assert.Equal(0, stenoticCsf);
    }

    [Fact]
    public void GradeOneKeepsTheCordWhereGradeTwoIndentsIt()
    {
        var spec = PhantomSpec.Draw(5, 5) with { Scanner = ScannerProfile.Clean };
        var (x, y) = spec.Anatomy.CanalCentreInImage(Level);
        var cordTop = spec.Anatomy.Signals.Cord * 1.15;

        int CordWidth(KangGrade grade) =>
            Run(MidSlice(spec with { Pathology = Pathology.Single(Level, grade) }), x, y,
                v => v >= CanalThreshold && v <= cordTop);

        var normal = CordWidth(KangGrade.Normal);
        Assert.InRange(CordWidth(KangGrade.CsfEffaced), normal - 1, normal + 1);
        Assert.True(CordWidth(KangGrade.CordDeformed) <= normal - 2);
    }

    private static Image<L8> MidSlice(PhantomSpec spec)
    {
        var png = CaseWriter.Files(PhantomCase.Render(spec)).Single(f => f.Name == "1.png").Bytes;
        return Image.Load<L8>(png);
    }

    /// <summary>Length of the run of pixels that pass, along the row through (x, y), grown from (x, y).</summary>
    private static int Run(Image<L8> slice, double x, double y, Func<byte, bool> passes)
    {
        var row = (int)Math.Round(y);
        var start = (int)Math.Round(x);
        var left = start;
        var right = start;
        while (left > 0 && passes(slice[left - 1, row].PackedValue))
        {
            left--;
        }

        while (right < slice.Width - 1 && passes(slice[right + 1, row].PackedValue))
        {
            right++;
        }

        return passes(slice[start, row].PackedValue) ? right - left + 1 : 0;
    }

    private static int BrightPixels(Image<L8> slice, double x, double y, double threshold)
    {
        var row = (int)Math.Round(y);
        var start = (int)Math.Round(x);
        return Enumerable.Range(start - 14, 29).Count(c => slice[c, row].PackedValue >= threshold);
    }
}
