using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ccs.Core.Cases;

/// <summary>
/// Finds the cases in an input: a case folder, a zip of one case (files at the root or inside one folder), a batch with
/// <c>demographics.csv</c> and <c>case_&lt;index&gt;/</c> folders, or a folder of case folders or case zips.
/// </summary>
public static partial class CaseReader
{
    public static readonly IReadOnlyList<string> SliceFiles = ["0.png", "1.png", "2.png"];

    public const string CaseFile = "case.json";

    /// <summary>A case.json holds a few fields; anything larger is not one.</summary>
    public const int MaxCaseFileBytes = 64 * 1024;

    public static IReadOnlyList<PendingCase> Open(string path, CaseLimits limits)
    {
        if (Directory.Exists(path))
        {
            return Discover(new DiskTree(new DirectoryInfo(path), limits), limits, null);
        }

        if (!File.Exists(path))
        {
            throw new InvalidCaseException(Path.GetFileName(path), path, "no such file or folder");
        }

        using var zip = File.OpenRead(path);
        return OpenArchive(zip, Path.GetFileName(path), limits);
    }

    public static IReadOnlyList<PendingCase> OpenArchive(Stream zip, string archiveName, CaseLimits limits)
    {
        if (!archiveName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidCaseException(archiveName, archiveName, "a case archive must be a .zip file");
        }

        var tree = ArchiveTree.Open(zip, archiveName, limits);
        return Discover(tree, limits, Path.GetFileNameWithoutExtension(archiveName));
    }

    private static IReadOnlyList<PendingCase> Discover(CaseTree root, CaseLimits limits, string? archiveStem)
    {
        var cases = FindCases(root, limits, archiveStem);
        if (cases.Count == 0)
        {
            throw new InvalidCaseException(root.Name, root.DisplayPath,
                "no case found: expected 0.png, 1.png and 2.png, a demographics.csv with case_<index> folders, "
                + "or folders of cases");
        }

        if (cases.Count > limits.MaxCases)
        {
            throw new InvalidCaseException(root.Name, root.DisplayPath,
                $"input holds {cases.Count} cases; at most {limits.MaxCases} are accepted at once");
        }

        return cases;
    }

    private static List<PendingCase> FindCases(CaseTree root, CaseLimits limits, string? archiveStem)
    {
        if (LooksLikeCase(root))
        {
            var name = archiveStem ?? root.Name;
            return [new PendingCase(name, () => ReadCase(root, name, Demographics.Unknown, null, limits))];
        }

        if (root.Has(DemographicsTable.FileName))
        {
            return ReadBatch(root, limits);
        }

        if (root.FileNames.Count == 0 && root.Folders.Count == 1 && archiveStem is not null)
        {
            return FindCases(root.Folders[0], limits, LooksLikeCase(root.Folders[0]) ? null : archiveStem);
        }

        var found = root.Folders.Where(LooksLikeCase)
            .Select(f => new PendingCase(f.Name, () => ReadCase(f, f.Name, Demographics.Unknown, null, limits)))
            .ToList();
        if (root is DiskTree)
        {
            found.AddRange(root.FileNames.Where(f => f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                .SelectMany(f => OpenNestedArchive(root, f, limits)));
        }

        return found;
    }

    private static IEnumerable<PendingCase> OpenNestedArchive(CaseTree folder, string file, CaseLimits limits)
    {
        try
        {
            using var zip = new MemoryStream(folder.Read(file), writable: false);
            return OpenArchive(zip, file, limits);
        }
        catch (InvalidCaseException e)
        {
            return [new PendingCase(Path.GetFileNameWithoutExtension(file), () => throw e)];
        }
    }

    private static bool LooksLikeCase(CaseTree folder) =>
        folder.ListingError is not null || folder.Has(CaseFile)
        || folder.FileNames.Any(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase));

    private static List<PendingCase> ReadBatch(CaseTree root, CaseLimits limits)
    {
        var table = DemographicsTable.Parse(root.Read(DemographicsTable.FileName), root.Name, limits.MaxCases);
        var folders = root.Folders.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var listed = table.Rows.Select(r => $"case_{r.Index}").ToHashSet(StringComparer.Ordinal);
        var unlisted = folders.Values.Where(f => !listed.Contains(f.Name) && LooksLikeCase(f))
            .Select(f => new PendingCase(f.Name, () => throw new InvalidCaseException(f.Name, $"{f.Name}/",
                $"folder holds a case but {DemographicsTable.FileName} does not list it")));
        return [.. ListedCases(table, folders, limits), .. unlisted];
    }

    private static IEnumerable<PendingCase> ListedCases(DemographicsTable table,
        Dictionary<string, CaseTree> folders, CaseLimits limits)
    {
        return table.Rows.Select(row =>
        {
            var name = $"case_{row.Index}";
            return new PendingCase(name, () =>
            {
                if (row.Error is not null)
                {
                    throw row.Error;
                }

                if (!folders.TryGetValue(name, out var folder))
                {
                    throw new InvalidCaseException(name, $"{name}/",
                        $"folder is listed in {DemographicsTable.FileName} but missing");
                }

                return ReadCase(folder, name, row.Demographics, row.Label, limits);
            });
        });
    }

    private static CaseInput ReadCase(CaseTree folder, string name, Demographics demographics, int? label,
        CaseLimits limits)
    {
        if (folder.ListingError is { } unreadable)
        {
            throw unreadable;
        }

        var caseId = name;
        var idSource = $"the name of {folder.DisplayPath}";
        if (folder.Has(CaseFile))
        {
            var meta = ReadCaseFile(ReadCaseFileBytes(folder, name), name);
            caseId = meta.CaseId ?? name;
            idSource = meta.CaseId is null ? idSource : CaseFile;
            demographics = new Demographics(meta.Age ?? demographics.Age, meta.Sex ?? demographics.Sex);
            label = meta.Label ?? label;
        }

        CheckCaseId(caseId, name, idSource);
        CheckSliceFiles(folder, caseId);
        var slices = SliceFiles.Select(f => SliceDecoder.Decode(folder.Read(f), caseId, f, limits)).ToList();
        CheckSameSize(slices, caseId);
        return new CaseInput(caseId, folder.DisplayPath, slices, demographics, label);
    }

    private static void CheckSliceFiles(CaseTree folder, string caseId)
    {
        var pngs = folder.FileNames.Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).ToList();
        var missing = SliceFiles.FirstOrDefault(f => !folder.Has(f));
        if (missing is not null)
        {
            throw new InvalidCaseException(caseId, missing,
                $"slice is missing; a case needs 0.png, 1.png and 2.png (found: {Describe(pngs)})");
        }

        var extra = pngs.Except(SliceFiles, StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
        {
            throw new InvalidCaseException(caseId, extra[0],
                $"found {pngs.Count} slices ({Describe(pngs)}); a case has exactly three: 0.png, 1.png, 2.png");
        }
    }

    private static string Describe(IReadOnlyList<string> files) => files.Count == 0 ? "none" : string.Join(", ", files);

    private static void CheckSameSize(IReadOnlyList<Slice> slices, string caseId)
    {
        var first = slices[0];
        var odd = slices.FirstOrDefault(s => s.Width != first.Width || s.Height != first.Height);
        if (odd is not null)
        {
            throw new InvalidCaseException(caseId, odd.FileName,
                $"slice is {odd.Width} x {odd.Height} but {first.FileName} is {first.Width} x {first.Height}; "
                + "all three slices must be the same size");
        }
    }

    /// <param name="source">Where the id came from: case.json, or the folder or archive name.</param>
    private static void CheckCaseId(string caseId, string name, string source)
    {
        if (!CaseIdPattern().IsMatch(caseId))
        {
            throw new InvalidCaseException(name, source == CaseFile ? CaseFile : source,
                $"case id '{caseId}' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
                + (source == CaseFile ? "" : "; rename it or give a caseId in case.json"));
        }
    }

    private static byte[] ReadCaseFileBytes(CaseTree folder, string name)
    {
        var bytes = folder.Read(CaseFile);
        if (bytes.Length > MaxCaseFileBytes)
        {
            throw new InvalidCaseException(name, CaseFile,
                $"is {bytes.Length} bytes; a case file of more than {MaxCaseFileBytes} is not accepted");
        }

        // Editors on Windows write a byte-order mark, which the JSON reader would otherwise refuse.
        return bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex CaseIdPattern();

    private sealed record CaseFileContent(string? CaseId, int? Age, Sex? Sex, int? Label);

    private static CaseFileContent ReadCaseFile(byte[] json, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidCaseException(name, CaseFile, "must hold a JSON object");
            }

            return new CaseFileContent(
                Optional(root, "caseId", JsonValueKind.String, name)?.GetString(),
                Optional(root, "age", JsonValueKind.Number, name) is { } age
                    ? Demographics.CheckAge(age.GetDouble(), name, CaseFile) : null,
                Optional(root, "sex", JsonValueKind.String, name) is { } sex
                    ? Demographics.ParseSex(sex.GetString()!, name, CaseFile) : null,
                Optional(root, "label", JsonValueKind.Number, name) is { } label
                    ? DemographicsTable.CheckLabel(label.GetDouble(), name, CaseFile) : null);
        }
        catch (JsonException e)
        {
            throw new InvalidCaseException(name, CaseFile, $"is not valid JSON ({e.Message})");
        }
    }

    private static string Describe(JsonValueKind kind) => kind.ToString().ToLowerInvariant();

    private static JsonElement? Optional(JsonElement root, string property, JsonValueKind kind, string name)
    {
        if (!root.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != kind)
        {
            throw new InvalidCaseException(name, CaseFile,
                $"'{property}' must be a {Describe(kind)}, not {Describe(value.ValueKind)}");
        }

        return value;
    }
}
