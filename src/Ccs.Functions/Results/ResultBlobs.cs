using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Ccs.Functions.Storage;

namespace Ccs.Functions.Results;

/// <summary>
/// A case's files from one upload in the results container, in the folder <c>&lt;caseId&gt;/&lt;archiveId&gt;/</c>
/// (the keys of its table row, in the same order): <c>input.png</c>, <c>gradcam_*.png</c>, <c>report.json</c> and
/// <c>report.html</c>, plus the preprocessed tensor the activities share under <c>work/</c>.
/// </summary>
public sealed class ResultBlobs(CaseStorageAccount account, StorageNames names)
{
    public const string WorkFolder = "work";
    public const string TensorFile = "tensor.bin";

    private readonly BlobContainerClient _container = account.Blobs.GetBlobContainerClient(names.Results);
    private int _created;

    public BlobContainerClient Container => _container;

    public static string FolderOf(string caseId, string archiveId) => $"{caseId}/{archiveId}";

    public static string PathOf(string caseId, string archiveId, string file) =>
        $"{FolderOf(caseId, archiveId)}/{file}";

    public static string TensorPath(string caseId, string archiveId) =>
        PathOf(caseId, archiveId, $"{WorkFolder}/{TensorFile}");

    public async Task<string> UploadAsync(string path, byte[] content, string contentType,
        CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
        await _container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
        return path;
    }

    public async Task<byte[]> DownloadAsync(string path, CancellationToken cancellationToken = default)
    {
        var content = await _container.GetBlobClient(path).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToArray();
    }

    /// <returns>The file, or null when the case or the file does not exist.</returns>
    public async Task<byte[]?> FindAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await DownloadAsync(path, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes every file of one upload's case, <c>work/</c> included; a folder already gone is fine.
    /// </summary>
    public async Task DeleteFolderAsync(string caseId, string archiveId, CancellationToken cancellationToken = default)
    {
        var prefix = FolderOf(caseId, archiveId) + "/";
        try
        {
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix,
                               cancellationToken))
            {
                await _container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No results container yet, so no files.
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1)
        {
            return;
        }

        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        Volatile.Write(ref _created, 1);
    }
}
