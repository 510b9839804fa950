using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Core.Tests;

/// <summary>Builds the tests' inputs (PNG slices, case folders and zips) in a temp folder per test.</summary>
internal sealed class TestFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("ccs-tests-").FullName;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string TinyModels => Path.Combine(RepoRoot, "tests", "fixtures", "tiny-models");

    public static string DemoModels => Path.Combine(RepoRoot, "models");

    public static string SeedSamples => Path.Combine(RepoRoot, "..", "shared", "samples", "seed");

    public static byte[] Gray8(int width, int height, Func<int, int, byte> pixel)
    {
        using var image = new Image<L8>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new L8(pixel(x, y));
            }
        }

        return Encode(image);
    }

    public static byte[] Gray16(int width, int height, Func<int, int, ushort> pixel)
    {
        using var image = new Image<L16>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new L16(pixel(x, y));
            }
        }

        return Encode(image);
    }

    public static byte[] Rgb(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 10, 10));
        return Encode(image);
    }

    /// <summary>Slices 0, 1, 2 with distinct, position-dependent intensities.</summary>
    public static Dictionary<string, byte[]> Slices(int width = 112, int height = 224) => new()
    {
        ["0.png"] = Gray8(width, height, (x, y) => (byte)((x + y) % 256)),
        ["1.png"] = Gray8(width, height, (x, y) => (byte)((2 * x + y) % 256)),
        ["2.png"] = Gray8(width, height, (x, y) => (byte)((x * y) % 256)),
    };

    public string Folder(string name, IReadOnlyDictionary<string, byte[]> files)
    {
        var folder = Path.Combine(Root, name);
        foreach (var (path, bytes) in files)
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    public string Zip(string name, IReadOnlyDictionary<string, byte[]> entries)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllBytes(path, ZipBytes(entries));
        return path;
    }

    public static byte[] ZipBytes(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, bytes) in entries)
            {
                using var entry = zip.CreateEntry(path, CompressionLevel.Fastest).Open();
                entry.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A copy of a model set (its manifest and the fold files it lists) under <paramref name="name"/>, with the
    /// manifest edited by <paramref name="edit"/>, so a test can break one thing about it.
    /// </summary>
    public string ModelSetCopy(string source, string name, Action<System.Text.Json.Nodes.JsonNode>? edit = null)
    {
        var folder = Path.Combine(Root, name);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(source, "manifest.json")))!;
        foreach (var fold in manifest["backbones"]!.AsArray().SelectMany(b => b!["folds"]!.AsArray()))
        {
            var file = fold!["file"]!.GetValue<string>();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.Copy(Path.Combine(source, file), Path.Combine(folder, file));
        }

        edit?.Invoke(manifest);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
        return folder;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static byte[] Encode<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    private static string FindRepoRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CcsFunctions.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("tests must run inside the repository");
    }
}
