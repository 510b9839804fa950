using System.Security.Cryptography;
using System.Text;
using Ccs.Functions.Results;

namespace Ccs.Functions.Intake;

/// <summary>Ids made from an archive's blob name and version.</summary>
public static class ArchiveNames
{
    public const string Extension = ".zip";

    /// <summary>
    /// The case id a single-case archive gets when it has no case.json: the file name without <c>.zip</c>, made safe
    /// for a table key. Also the key of a Failed row for an archive that could not be read at all.
    /// </summary>
    public static string ArchiveId(string blobName)
    {
        var file = blobName[(blobName.LastIndexOf('/') + 1)..];
        var stem = file.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) ? file[..^Extension.Length] : file;
        return ResultKeys.Safe(stem);
    }

    /// <summary>
    /// The orchestration instance id for one version of one blob. The same upload event delivered twice maps to the
    /// same id, so it runs once; overwriting the blob changes its ETag and so starts a new run.
    /// </summary>
    public static string InstanceId(string container, string blobName, string etag)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{blobName}\n{etag}"));
        return $"case-{Convert.ToHexStringLower(hash.AsSpan(0, 16))}";
    }
}
