using System.IO.Compression;

namespace Ccs.Phantoms;

/// <summary>Writes a phantom as the product reads a case: a folder, or a zip with the same four files at its root.
/// </summary>
public static class CaseWriter
{
    public const string RecordFile = "case.json";

    /// <summary>Zip entries carry a time; a fixed one keeps archives byte-identical from run to run.</summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<(string Name, byte[] Bytes)> Files(PhantomCase phantom)
    {
        var files = phantom.Slices
            .Select((pixels, i) => ($"{i}.png", PngSlice.Encode(pixels, SliceRenderer.Width, SliceRenderer.Height)))
            .ToList();
        files.Add((RecordFile, phantom.Record.ToJsonBytes()));
        return files;
    }

    /// <returns>The folder written.</returns>
    public static string WriteFolder(PhantomCase phantom, string outDirectory)
    {
        var folder = Path.Combine(outDirectory, phantom.Spec.CaseId);
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in Files(phantom))
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return folder;
    }

    /// <returns>The archive written.</returns>
    public static string WriteZip(PhantomCase phantom, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, phantom.Spec.CaseId + ".zip");
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, bytes) in Files(phantom))
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = EntryTime;
            using var stream = entry.Open();
            stream.Write(bytes);
        }

        return path;
    }
}
