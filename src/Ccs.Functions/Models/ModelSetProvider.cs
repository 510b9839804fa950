using Ccs.Core.Models;
using Ccs.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Models;

/// <summary>
/// The worker's one model set, loaded on first use and shared by every activity (its sessions are thread-safe).
/// A failed load is not cached: the next call tries again, so a storage blip at start-up does not poison the worker.
/// </summary>
public sealed class ModelSetProvider(
    ModelSource source,
    InferenceOptions options,
    CaseStorageAccount account,
    ILogger<ModelSetProvider> log) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _folder;
    private ModelManifest? _manifest;
    private ModelSet? _models;

    public bool IsLoaded => Volatile.Read(ref _models) is not null;

    /// <summary>The manifest alone, without creating sessions: enough to plan the backbone fan-out.</summary>
    public async Task<ModelManifest> GetManifestAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _manifest) is { } manifest)
        {
            return manifest;
        }

        var folder = await GetFolderAsync(cancellationToken);
        manifest = ModelSet.ReadManifest(folder);
        Volatile.Write(ref _manifest, manifest);
        return manifest;
    }

    public async Task<ModelSet> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _models) is { } loaded)
        {
            return loaded;
        }

        var folder = await GetFolderAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_models is null)
            {
                var models = ModelSet.Load(folder, options);
                log.LogInformation(
                    "Model set {Version} loaded: {Backbones} backbones in {Ms} ms, {Threads} threads each",
                    models.Manifest.Version, models.Backbones.Count, Math.Round(models.LoadTime.TotalMilliseconds),
                    options.IntraOpThreads);
                Volatile.Write(ref _manifest, models.Manifest);
                Volatile.Write(ref _models, models);
            }

            return _models;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> GetFolderAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _folder) is { } folder)
        {
            return folder;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _folder ??= source.Container is null
                ? source.Folder
                : await ModelDownload.FetchAsync(account.Blobs.GetBlobContainerClient(source.Container),
                    source.CacheFolder, log, cancellationToken);
            return _folder;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _models?.Dispose();
        _gate.Dispose();
    }
}
