using Ccs.Core.Models;
using Ccs.Functions.Models;
using Ccs.Functions.Storage;

namespace Ccs.Functions.Api;

public sealed record HealthReport(bool Healthy, bool ModelsLoaded, string? ModelVersion,
    IReadOnlyList<string> Backbones, bool StorageReachable, IReadOnlyList<string> Problems);

/// <summary>
/// Loads the model set if it is not loaded yet (so a probe also warms a new worker) and makes one cheap call to case
/// storage.
/// </summary>
public sealed class HealthProbe(ModelSetProvider models, CaseStorageAccount account, StorageNames names)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        ModelSet? modelSet = null;
        try
        {
            modelSet = await models.GetAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A probe reports what is wrong rather than failing itself; the message names the file, not a case.
            problems.Add($"models: {e.Message}");
        }

        var reachable = false;
        try
        {
            await account.Blobs.GetBlobContainerClient(names.Results).ExistsAsync(cancellationToken);
            reachable = true;
        }
        catch (Exception e) when (TransientStorage.IsTransient(e) || e is Azure.RequestFailedException)
        {
            problems.Add($"storage: {e.Message}");
        }

        return new HealthReport(problems.Count == 0, modelSet is not null, modelSet?.Manifest.Version,
            modelSet?.Backbones.Select(b => b.Id).ToList() ?? [], reachable, problems);
    }
}
