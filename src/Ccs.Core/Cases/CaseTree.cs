using System.IO.Compression;

namespace Ccs.Core.Cases;

/// <summary>A folder of case files, on disk or inside an archive, read through the same size bounds.</summary>
public abstract class CaseTree
{
    public abstract string Name { get; }

    /// <summary>Where this folder sits, for messages: the archive or path and the folder inside it.</summary>
    public abstract string DisplayPath { get; }

    public abstract IReadOnlyList<string> FileNames { get; }

    public abstract IReadOnlyList<CaseTree> Folders { get; }

    public abstract byte[] Read(string fileName);

    public bool Has(string fileName) => FileNames.Contains(fileName, StringComparer.Ordinal);

    /// <summary>Why this folder could not be listed (permission denied, say); its case fails with it.</summary>
    public virtual InvalidCaseException? ListingError => null;

    /// <summary>Files that archivers and desktops add on their own and that no user means as input.</summary>
    internal static bool IsClutter(string name) =>
        name.StartsWith('.') || name.Equals("__MACOSX", StringComparison.Ordinal)
        || name.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase);
}

internal sealed class DiskTree : CaseTree
{
    private readonly DirectoryInfo _folder;
    private readonly CaseLimits _limits;
    private readonly List<string> _files = [];
    private readonly List<DirectoryInfo> _folders = [];
    private readonly InvalidCaseException? _listingError;

    public DiskTree(DirectoryInfo folder, CaseLimits limits)
    {
        _folder = folder;
        _limits = limits;
        try
        {
            foreach (var entry in folder.EnumerateFileSystemInfos().Where(e => !IsClutter(e.Name)))
            {
                if (entry is DirectoryInfo sub)
                {
                    _folders.Add(sub);
                }
                else
                {
                    _files.Add(entry.Name);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _listingError = new InvalidCaseException(folder.Name, folder.FullName,
                $"folder cannot be read ({e.Message})");
        }

        _files.Sort(StringComparer.Ordinal);
        _folders.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
    }

    public override string Name => _folder.Name;

    public override string DisplayPath => _folder.FullName;

    public override IReadOnlyList<string> FileNames => _files;

    public override IReadOnlyList<CaseTree> Folders =>
        _folders.Select(d => (CaseTree)new DiskTree(d, _limits)).ToList();

    public override InvalidCaseException? ListingError => _listingError;

    /// <summary>
    /// Reads a regular file of at most the size cap. Links are refused as in archives, and an empty length (which is
    /// also what a FIFO or a device reports) is refused before opening, since opening a FIFO blocks for ever.
    /// </summary>
    public override byte[] Read(string fileName)
    {
        var file = new FileInfo(Path.Combine(_folder.FullName, fileName));
        if (file.LinkTarget is not null)
        {
            throw new InvalidCaseException(Name, fileName, "file is a symbolic link; links are not accepted");
        }

        if (file.Length == 0)
        {
            throw new InvalidCaseException(Name, fileName, "file is empty or not a regular file");
        }

        if (file.Length > _limits.MaxFileBytes)
        {
            throw new InvalidCaseException(Name, fileName,
                $"file is {file.Length} bytes; at most {_limits.MaxFileBytes} is accepted");
        }

        try
        {
            return File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidCaseException(Name, fileName, $"file cannot be read ({e.Message})");
        }
    }
}

/// <summary>
/// An archive held in memory after every entry passed the checks: entry count, declared and actual sizes,
/// and paths that stay inside the archive.
/// </summary>
public sealed class ArchiveTree : CaseTree
{
    private readonly Dictionary<string, byte[]> _files;
    private readonly List<ArchiveTree> _folders;

    private ArchiveTree(string name, string displayPath, Dictionary<string, byte[]> files, List<ArchiveTree> folders)
    {
        Name = name;
        DisplayPath = displayPath;
        _files = files;
        _folders = folders;
    }

    public override string Name { get; }

    public override string DisplayPath { get; }

    public override IReadOnlyList<string> FileNames => _files.Keys.Order(StringComparer.Ordinal).ToList();

    public override IReadOnlyList<CaseTree> Folders => _folders;

    public override byte[] Read(string fileName) => _files[fileName];

    public static ArchiveTree Open(Stream zip, string archiveName, CaseLimits limits)
    {
        var entries = ReadEntries(zip, archiveName, limits);
        return Build(archiveName, archiveName, "", entries);
    }

    private static Dictionary<string, byte[]> ReadEntries(Stream zip, string archiveName, CaseLimits limits)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidCaseException(archiveName, archiveName, $"not a readable zip archive ({e.Message})");
        }

        using (archive)
        {
            if (archive.Entries.Count > limits.MaxArchiveEntries)
            {
                throw new InvalidCaseException(archiveName, archiveName,
                    $"archive has {archive.Entries.Count} entries; at most {limits.MaxArchiveEntries} are accepted");
            }

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                var path = CheckEntryPath(entry, archiveName);
                if (path is null)
                {
                    continue;
                }

                var bytes = ReadBounded(entry, archiveName, limits, limits.MaxArchiveBytes - total);
                total += bytes.Length;
                if (!files.TryAdd(path, bytes))
                {
                    throw new InvalidCaseException(archiveName, entry.FullName, "entry appears twice in the archive");
                }
            }

            return files;
        }
    }

    /// <returns>The entry's normalised path, or null for a folder entry or clutter.</returns>
    private static string? CheckEntryPath(ZipArchiveEntry entry, string archiveName)
    {
        var raw = entry.FullName.Replace('\\', '/');
        const int unixFileTypeMask = 0xF000 << 16, unixSymlink = 0xA000 << 16;
        if ((entry.ExternalAttributes & unixFileTypeMask) == unixSymlink)
        {
            throw new InvalidCaseException(archiveName, entry.FullName,
                "entry is a symbolic link; links are not accepted");
        }

        var parts = raw.Split('/');
        if (raw.StartsWith('/') || (parts[0].Length >= 2 && parts[0][1] == ':')
            || parts.Any(p => p is ".." or "."))
        {
            throw new InvalidCaseException(archiveName, entry.FullName, "entry path leaves the archive");
        }

        var isFolder = raw.EndsWith('/');
        var segments = parts.Where(p => p.Length > 0).ToArray();
        if (isFolder || segments.Length == 0 || segments.Any(IsClutter))
        {
            return null;
        }

        return string.Join('/', segments);
    }

    /// <summary>Reads at most the allowed bytes, whatever the entry declares: a zip bomb lies about its size.</summary>
    private static byte[] ReadBounded(ZipArchiveEntry entry, string archiveName, CaseLimits limits, long archiveLeft)
    {
        var cap = Math.Min(limits.MaxFileBytes, archiveLeft);
        if (entry.Length > cap)
        {
            throw new InvalidCaseException(archiveName, entry.FullName, TooLarge(entry.Length, limits, archiveLeft));
        }

        using var input = OpenEntry(entry, archiveName);
        using var buffer = new MemoryStream((int)Math.Min(entry.Length, cap));
        var chunk = new byte[81920];
        int read;
        while ((read = ReadChunk(input, chunk, entry, archiveName)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                throw new InvalidCaseException(archiveName, entry.FullName,
                    TooLarge(buffer.Length + read, limits, archiveLeft));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string TooLarge(long bytes, CaseLimits limits, long archiveLeft) =>
        archiveLeft < limits.MaxFileBytes
            ? $"archive unpacks to more than {limits.MaxArchiveBytes} bytes, the most accepted"
            : $"entry unpacks to {bytes} bytes or more; at most {limits.MaxFileBytes} is accepted per file";

    private static Stream OpenEntry(ZipArchiveEntry entry, string archiveName)
    {
        try
        {
            return entry.Open();
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new InvalidCaseException(archiveName, entry.FullName, $"entry cannot be unpacked ({e.Message})");
        }
    }

    private static int ReadChunk(Stream input, byte[] chunk, ZipArchiveEntry entry, string archiveName)
    {
        try
        {
            return input.Read(chunk, 0, chunk.Length);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidCaseException(archiveName, entry.FullName, $"entry is corrupt ({e.Message})");
        }
    }

    private static ArchiveTree Build(string name, string displayPath, string prefix, Dictionary<string, byte[]> all)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var folderNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, bytes) in all)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = path[prefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash < 0)
            {
                files[rest] = bytes;
            }
            else
            {
                folderNames.Add(rest[..slash]);
            }
        }

        var folders = folderNames
            .Select(f => Build(f, $"{displayPath}/{f}", $"{prefix}{f}/", all))
            .ToList();
        return new ArchiveTree(name, displayPath, files, folders);
    }
}
