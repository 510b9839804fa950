using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Ccs.Functions.Intake;
using Ccs.Functions.Results;
using Ccs.Functions.Storage;

namespace Ccs.Functions.Api;

/// <summary>Where to find the result of an upload: <see cref="Status"/> is the archive's URL in the API.</summary>
public sealed record UploadReceipt(string Archive, string ArchiveId, string Status);

public sealed class UploadTooLargeException(long limit)
    : Exception($"the archive is larger than {limit} bytes, the most accepted");

/// <summary>
/// Puts a posted archive into the cases container under a fresh name, so an upload never replaces another one; the
/// blob trigger takes it from there like any other upload.
/// </summary>
public sealed class ArchiveUploads(CaseStorageAccount account, StorageNames names, IntakeOptions options,
    TimeProvider time)
{
    public const int MaxNameLength = 32;

    public async Task<UploadReceipt> UploadAsync(Stream body, string? name,
        CancellationToken cancellationToken = default)
    {
        var blobName = NewBlobName(name);
        var container = account.Blobs.GetBlobContainerClient(names.Cases);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/zip" },
            // A second writer of the same name would be a bug, and must not replace the first archive.
            Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All },
        };
        await using var bounded = new BoundedStream(body, options.MaxArchiveBytes);
        await container.GetBlobClient(blobName).UploadAsync(bounded, upload, cancellationToken);
        var archiveId = ArchiveNames.ArchiveId(blobName);
        return new UploadReceipt(blobName, archiveId, $"/api/archives/{archiveId}");
    }

    /// <summary><c>&lt;name&gt;-&lt;UTC time&gt;-&lt;random&gt;.zip</c>, letters, digits, '_' and '-' only.</summary>
    public string NewBlobName(string? name)
    {
        var stem = string.IsNullOrWhiteSpace(name) ? "case" : ArchiveNames.SafeStem(name.Trim());
        stem = new string(stem.Select(c => c == '.' ? '_' : c).Take(MaxNameLength).ToArray()).TrimStart('_', '-');
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return $"{(stem.Length == 0 ? "case" : stem)}-{stamp}-{random}{ArchiveNames.Extension}";
    }

    /// <summary>Reads the request body through, failing once more than the limit has arrived.</summary>
    private sealed class BoundedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer,
            CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count,
            CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new UploadTooLargeException(limit) : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
