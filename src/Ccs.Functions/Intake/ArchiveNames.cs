using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ccs.Functions.Results;

namespace Ccs.Functions.Intake;

/// <summary>Ids made from an archive's blob name and version.</summary>
public static partial class ArchiveNames
{
    public const string Extension = ".zip";

    /// <summary>Hex digits of the blob name's SHA-256 that an archive id carries when its safe form is lossy.</summary>
    public const int HashLength = 10;

    /// <summary>
    /// The archive id: one per exact blob name, so every upload keeps its own rows and files and only a new version
    /// of the same blob replaces them. A name that is already a safe key plus a lowercase <c>.zip</c> is its own id
    /// without the extension (<c>case-0042.zip</c> → <c>case-0042</c>). Any other name (a folder, non-ASCII letters,
    /// spaces, another extension, more than 64 characters) loses something on the way to a key, so its safe form is
    /// cut to fit and followed by '-' and the first 10 hex digits of the SHA-256 of the exact name
    /// (<c>clinicA/x.zip</c> → <c>clinicA_x-</c> + hash). A lossless id never ends in '-' and 10 hex digits: such a
    /// name is hashed too, so the two kinds of id cannot meet.
    /// </summary>
    public static string ArchiveId(string blobName)
    {
        var stem = blobName.EndsWith(Extension, StringComparison.Ordinal) ? blobName[..^Extension.Length] : blobName;
        var safe = ResultKeys.Safe(stem);
        if (safe + Extension == blobName && !HashSuffix().IsMatch(safe))
        {
            return safe;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)))[..HashLength];
        return $"{safe[..Math.Min(safe.Length, ResultKeys.MaxLength - HashLength - 1)]}-{hash}";
    }

    /// <summary>The file name without folders or <c>.zip</c>, made safe; the HTTP upload builds names on it.</summary>
    public static string SafeStem(string blobName)
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

    [GeneratedRegex(@"-[0-9a-f]{10}\z")]
    private static partial Regex HashSuffix();
}
