using System.Diagnostics;
using Azure.Storage.Blobs;
using Ccs.Core.Models;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Models;

/// <summary>
/// Copies a model set from a blob container (its <c>manifest.json</c> and every fold file it lists) to a local
/// folder. Nothing is trusted here: <see cref="ModelSet.Load"/> checks every file's SHA-256 against the manifest.
/// </summary>
public static class ModelDownload
{
    public static async Task<string> FetchAsync(BlobContainerClient container, string cacheRoot, ILogger log,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var staging = Path.Combine(cacheRoot, $"download-{Environment.ProcessId}");
        Directory.CreateDirectory(staging);
        await container.GetBlobClient(ModelManifest.FileName)
            .DownloadToAsync(Path.Combine(staging, ModelManifest.FileName), cancellationToken);
        var manifest = ModelSet.ReadManifest(staging);
        var folder = Path.Combine(cacheRoot, SafeFolderName(manifest.Version));
        var files = manifest.Backbones.SelectMany(b => b.Folds).Select(f => f.File).ToList();
        foreach (var file in files)
        {
            var target = Path.GetFullPath(Path.Combine(folder, file));
            if (!target.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ModelLoadException(file, "path leaves the model folder");
            }

            if (File.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var partial = $"{target}.{Environment.ProcessId}.partial";
            await container.GetBlobClient(file.Replace('\\', '/')).DownloadToAsync(partial, cancellationToken);
            File.Move(partial, target, overwrite: true);
        }

        File.Copy(Path.Combine(staging, ModelManifest.FileName), Path.Combine(folder, ModelManifest.FileName), true);
        Directory.Delete(staging, recursive: true);
        log.LogInformation("Model set {Version} downloaded from {Container}: {Files} files in {Ms} ms",
            manifest.Version, container.Name, files.Count, Math.Round(watch.Elapsed.TotalMilliseconds));
        return folder;
    }

    private static string SafeFolderName(string version) =>
        new(version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
}
