using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Functions.Tests.Infrastructure;

/// <summary>Case archives built in memory from generated slices, good and bad.</summary>
public static class TestArchives
{
    public const int Width = 112;
    public const int Height = 224;

    /// <summary>A grayscale slice with a bright vertical band (a stand-in canal) placed by the seed.</summary>
    public static byte[] Slice(int seed, int width = Width, int height = Height)
    {
        using var image = new Image<L8>(width, height);
        var random = new Random(seed);
        var band = 30 + seed % 40;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = Math.Abs(x - band) < 8 ? 200 : 40 + (x + y) % 60;
                image[x, y] = new L8((byte)Math.Clamp(value + random.Next(-10, 10), 0, 255));
            }
        }

        return Encode(image);
    }

    public static byte[] ColourSlice()
    {
        using var image = new Image<Rgb24>(Width, Height, new Rgb24(120, 30, 200));
        using var png = new MemoryStream();
        image.SaveAsPng(png, new PngEncoder { ColorType = PngColorType.Rgb });
        return png.ToArray();
    }

    /// <summary>The three slices of one case at the archive's root, so the case id is the archive's name.</summary>
    public static byte[] Case(int seed, string? caseJson = null) => Zip(CaseFiles(seed, caseJson));

    public static Dictionary<string, byte[]> CaseFiles(int seed, string? caseJson = null, string folder = "")
    {
        var files = new Dictionary<string, byte[]>
        {
            [$"{folder}0.png"] = Slice(seed),
            [$"{folder}1.png"] = Slice(seed + 1),
            [$"{folder}2.png"] = Slice(seed + 2),
        };
        if (caseJson is not null)
        {
            files[$"{folder}case.json"] = System.Text.Encoding.UTF8.GetBytes(caseJson);
        }

        return files;
    }

    public static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Every kind of bad archive, each with a phrase its Failed row's error must contain and whether the archive as a
    /// whole cannot be read (the archive row fails) or it reads but its one case is bad (the case row fails).
    /// </summary>
    public static IReadOnlyDictionary<string, (Func<byte[]> Build, string Reason, bool WholeArchive)> Bad { get; } =
        new Dictionary<string, (Func<byte[]>, string, bool)>
        {
            ["not-a-zip"] = (() => "this is a note, not an archive"u8.ToArray(), "not a readable zip archive", true),
            ["path-traversal"] = (() => Zip(CaseFiles(1).Append(new("../escape.png", Slice(9)))),
                "entry path leaves the archive", true),
            ["missing-slice"] = (() => Zip(CaseFiles(1).Where(f => f.Key != "2.png")), "2.png: slice is missing",
                false),
            ["colour-png"] = (() => Zip(CaseFiles(1).Select(f => f.Key == "1.png" ? new(f.Key, ColourSlice()) : f)),
                "1.png: slices must be grayscale", false),
            ["unequal-sizes"] = (() => Zip(CaseFiles(1).Select(f => f.Key == "2.png" ? new(f.Key, Slice(3, 100)) : f)),
                "all three slices must be the same size", false),
            ["corrupt-png"] = (() => Zip(CaseFiles(1).Select(f => f.Key == "0.png" ? new(f.Key, Corrupt(f.Value)) : f)),
                "0.png", false),
            ["bad-age"] = (() => Case(1, """{ "age": 200 }"""), "age must be a whole number from 0 to 120", false),
            ["bad-sex"] = (() => Case(1, """{ "sex": "X" }"""), "sex must be M or F", false),
            ["too-many-entries"] = (() => Zip(CaseFiles(1).Concat(Enumerable.Range(0, 4100)
                .Select(i => new KeyValuePair<string, byte[]>($"extra/{i}.txt", [1])))), "at most 4096 are accepted",
                true),
            ["too-large"] = (() => Zip(CaseFiles(1).Append(new("notes.bin", new byte[33 * 1024 * 1024]))),
                "is accepted per file", true),
        };

    /// <summary>A PNG whose signature and header survive but whose image data is overwritten.</summary>
    private static byte[] Corrupt(byte[] png)
    {
        var bad = png.ToArray();
        for (var i = 60; i < bad.Length - 20; i++)
        {
            bad[i] = (byte)(i * 31);
        }

        return bad;
    }

    private static byte[] Encode(Image<L8> image)
    {
        using var png = new MemoryStream();
        image.SaveAsPng(png, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        return png.ToArray();
    }
}
